package io.roadneg.finetune.data;

import java.util.List;

/**
 * One training batch on the host: normalised images (N + R) x 3 x H x W and train-id labels (N + R) x H x W (254
 * pasted negative, 255 void), with where each of the N samples came from. The last R entries are raw outlier views
 * for RPL's CoroCL (the source picture of a pasted object: 254 on the object, 0 on the rest, void padding); R is 0
 * unless the run asks for them.
 *
 * @param n training samples
 * @param raw raw outlier views after them
 */
public record Batch(int n, int raw, int height, int width, float[] images, int[] labels, List<String> provenance) {
    /** Samples plus raw views: the network's batch size. */
    public int total() {
        return n + raw;
    }
}
