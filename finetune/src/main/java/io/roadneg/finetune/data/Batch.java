package io.roadneg.finetune.data;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One training batch on the host, as 8-bit values in direct buffers that the step moves to its device in one copy
 * each: pixels (N + R) x 3 x H x W (planar RGB, not yet normalised: {@link Normalization#onDevice} does that on the
 * device) and train-id labels (N + R) x H x W (254 pasted negative, 255 void), with where each of the N samples came
 * from. The last R entries are raw outlier views for RPL's CoroCL (the source picture of a pasted object: 254 on the
 * object, 0 on the rest, void padding); R is 0 unless the run asks for them. The buffers come from a pool: call
 * {@link #release()} once the step no longer needs them (after the step's arrays are freed).
 *
 * @param n training samples
 * @param raw raw outlier views after them
 * @param outlierPixels pasted-outlier (254) pixels among the N samples (flow squares included)
 * @param patches per sample, the flow square the training loop pastes (its pixels already labelled 254), or null;
 *     null when the run has no flow negatives
 */
public record Batch(int n, int raw, int height, int width, ByteBuffer pixels, ByteBuffer labels, long outlierPixels,
        List<String> provenance, List<FlowPatches.Patch> patches, Runnable releaser) {
    /** A batch without flow squares. */
    public Batch(int n, int raw, int height, int width, ByteBuffer pixels, ByteBuffer labels, long outlierPixels,
            List<String> provenance, Runnable releaser) {
        this(n, raw, height, width, pixels, labels, outlierPixels, provenance, null, releaser);
    }

    /** Whether any sample has a flow square to paste. */
    public boolean hasPatches() {
        return patches != null && patches.stream().anyMatch(java.util.Objects::nonNull);
    }

    /** Samples plus raw views: the network's batch size. */
    public int total() {
        return n + raw;
    }

    /** The pixel bytes, (N + R) x 3 x H x W (a copy). */
    public byte[] pixelBytes() {
        byte[] b = new byte[total() * 3 * height * width];
        pixels.duplicate().position(0).get(b);
        return b;
    }

    /** The label values, (N + R) x H x W row-major (a copy). */
    public int[] labelValues() {
        int[] v = new int[total() * height * width];
        ByteBuffer d = labels.duplicate().position(0);
        for (int i = 0; i < v.length; i++) {
            v[i] = d.get() & 0xff;
        }
        return v;
    }

    /** Gives the buffers back to their pool; the batch must not be used afterwards. */
    public void release() {
        if (releaser != null) {
            releaser.run();
        }
    }
}
