/**
 * Exact image and label-map I/O: label values survive every read and write; generated PNGs carry provenance; the
 * size a header declares is checked against a pixel limit before anything is decoded.
 */
package io.roadneg.datasets.image;
