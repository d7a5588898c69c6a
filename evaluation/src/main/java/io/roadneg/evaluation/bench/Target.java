package io.roadneg.evaluation.bench;

/**
 * A frame's binary anomaly target, row-major: {@code LabelValues.INLIER}, {@code ANOMALY} or {@code VOID} (as a
 * signed byte, -1).
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param values one value per pixel
 */
public record Target(int width, int height, byte[] values) {
}
