/**
 * File-system helpers: atomic writes that follow the umask, so an interrupted run never leaves a half-written output;
 * paths from data and options kept inside their roots; one run per output folder through an OS lock.
 */
package io.roadneg.datasets.io;
