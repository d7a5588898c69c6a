package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Anything that draws images from a trained flow: a flow trained by this workbench ({@code gen flow train}) or an
 * imported export of a published one. Users of samples ({@code gen flow sample}, the {@code flow} outlier source,
 * fine-tuning with flow negatives) depend on this, not on how the flow was made.
 */
public interface FlowSampler extends AutoCloseable {

    /** Image channels of a sample. */
    int channels();

    /**
     * Whether {@code height} x {@code width} is a size this flow can decode (its squeezes divide it); a size that is
     * not is refused by {@link #sample} with an {@link io.roadneg.datasets.InputException}.
     */
    boolean acceptsSize(int height, int width);

    /**
     * {@code count} samples of {@code height} x {@code width} at a temperature (positive), N x C x H x W float32
     * values 0 .. 255 in {@code m}. Item i of a call with {@code (seed, firstItem)} is the same image whatever the
     * batch it is drawn in.
     */
    NDArray sample(NDManager m, int count, int height, int width, double temperature, long seed, long firstItem);

    /** What the samples come from, for provenance (configuration name, checkpoint, its SHA-256). */
    String describe();

    @Override
    void close();
}
