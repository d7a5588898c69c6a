package io.roadneg.finetune.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.model.SegOutput;
import io.roadneg.finetune.model.SegmentationNet;
import java.util.function.Function;

/** Runs a network in evaluation mode on one image and hands the outputs to a reader before freeing them. */
public final class Inference {
    private final SegmentationNet net;
    private final NDManager manager;
    private final Normalization norm;

    /** Inference with {@code net}, whose parameters live in {@code manager}. */
    public Inference(SegmentationNet net, NDManager manager, Normalization norm) {
        this.net = net;
        this.manager = manager;
        this.norm = norm;
    }

    /** Runs the network on {@code image} and applies {@code reader} to its outputs. */
    public <T> T run(RgbImage image, Function<SegOutput, T> reader) {
        float[] x = new float[3 * image.width() * image.height()];
        norm.write(image, x, 0);
        try (NDManager step = manager.newSubManager()) {
            NDArray in = step.create(x, new Shape(1, 3, image.height(), image.width()));
            SegOutput o = net.run(new ParameterStore(step, false), in, false);
            return reader.apply(o);
        }
    }

    /** The predicted train id per pixel (argmax of the logits), H x W row-major. */
    public static int[] argmax(SegOutput o) {
        return o.logits().argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
    }
}
