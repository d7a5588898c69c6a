/** File-system helpers: atomic writes so an interrupted run never leaves a half-written output. */
package io.roadneg.datasets.io;
