package io.roadneg.evaluation.scores;

/**
 * A per-frame anomaly score map, row-major, higher = more anomalous. Float16 inputs keep their raw bits in
 * {@link #halfBits()} so the exact histogram path can count them in one pass.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param values scores as floats
 * @param halfBits the raw float16 bits when the source was float16, else null
 */
public record ScoreMap(int width, int height, float[] values, short[] halfBits) {
}
