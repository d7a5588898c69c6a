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
 * @param patches per sample, the flow square the training loop pastes (its pixels already labelled 254), or null;
 *     null when the run has no flow negatives
 */
public record Batch(int n, int raw, int height, int width, float[] images, int[] labels, List<String> provenance,
        List<FlowPatches.Patch> patches) {
    /** A batch without flow squares. */
    public Batch(int n, int raw, int height, int width, float[] images, int[] labels, List<String> provenance) {
        this(n, raw, height, width, images, labels, provenance, null);
    }

    /** Whether any sample has a flow square to paste. */
    public boolean hasPatches() {
        return patches != null && patches.stream().anyMatch(java.util.Objects::nonNull);
    }

    /** Samples plus raw views: the network's batch size. */
    public int total() {
        return n + raw;
    }
}
