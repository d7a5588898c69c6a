package io.roadneg.evaluation.scores;

/**
 * A per-frame anomaly score map, row-major, higher = more anomalous. Float16 inputs keep their raw bits in
 * {@link #halfBits()} so the exact histogram path can count them in one pass; float64 inputs that float32 cannot hold
 * keep their values in {@link #wide()}, which the metrics then rank instead of {@link #values()}.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param values scores as floats (float64 scores rounded to nearest, within float32's range: for pictures and for
 *     consumers that take float32 only)
 * @param halfBits the raw float16 bits when the source was float16, else null
 * @param wide the float64 scores when the source was float64 and one of them is not a float32 value, else null
 */
public record ScoreMap(int width, int height, float[] values, short[] halfBits, double[] wide) {
    /** A float32 or float16 map. */
    public ScoreMap(int width, int height, float[] values, short[] halfBits) {
        this(width, height, values, halfBits, null);
    }
}
