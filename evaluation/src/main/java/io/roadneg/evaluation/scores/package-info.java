/** Per-frame anomaly score maps: numpy {@code .npy} (float32 / float16) and the SMIYC float16 {@code .hdf5} layout. */
package io.roadneg.evaluation.scores;
