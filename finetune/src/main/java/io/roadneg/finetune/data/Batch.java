package io.roadneg.finetune.data;

import java.util.List;

/**
 * One training batch on the host: normalised images N x 3 x H x W and train-id labels N x H x W (254 pasted
 * negative, 255 void), with where each sample came from.
 */
public record Batch(int n, int height, int width, float[] images, int[] labels, List<String> provenance) {
}
