package io.roadneg.flows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.roadneg.flows.imported.TorchScriptFlow;
import java.nio.file.Path;

/**
 * Anything that draws images from a trained flow: a flow trained by this workbench ({@code gen flow train}) or an
 * imported export of a published one. Users of samples ({@code gen flow sample}, the {@code flow} outlier source,
 * fine-tuning with flow negatives) depend on this, not on how the flow was made.
 */
public interface FlowSampler extends AutoCloseable {

    /**
     * The flow in {@code dir}: an export folder ({@code flow.json} + {@code flow.pt}, {@link TorchScriptFlow}) or a
     * {@code gen flow train} run folder ({@link FlowRun}); either is checked and refused in one line naming
     * {@code option}.
     *
     * @param device where to sample; null for the engine's default
     */
    static FlowSampler open(Path dir, Device device, String option) {
        if (TorchScriptFlow.isExport(dir)) {
            return device == null ? TorchScriptFlow.open(dir) : TorchScriptFlow.open(dir, device);
        }
        return FlowRun.open(dir, device, option);
    }

    /** The flow's configuration name, for provenance. */
    String name();

    /** SHA-256 of the flow's weights file. */
    String sha256();

    /** The device the samples are drawn on. */
    Device device();

    /** The training step of the weights, or -1 when not known (an export). */
    default long step() {
        return -1;
    }

    /** Image channels of a sample. */
    int channels();

    /**
     * Whether {@code height} x {@code width} is a size this flow can decode (its squeezes divide it); a size that is
     * not is refused by {@link #sample} with an {@link io.roadneg.datasets.InputException}.
     */
    boolean acceptsSize(int height, int width);

    /** Refuses, in one line naming {@code field}, a size this flow cannot decode. */
    void checkSize(int height, int width, String field);

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
