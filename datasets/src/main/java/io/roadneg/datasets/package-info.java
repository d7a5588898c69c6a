/** Dataset formats, label spaces and exact image I/O: the bottom layer every other module builds on. */
package io.roadneg.datasets;
