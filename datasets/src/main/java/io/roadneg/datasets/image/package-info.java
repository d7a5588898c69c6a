/** Exact image and label-map I/O: label values survive every read and write; generated PNGs carry provenance. */
package io.roadneg.datasets.image;
