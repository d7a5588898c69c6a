package io.roadneg.finetune.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.model.SegOutput;
import io.roadneg.finetune.model.SegmentationNet;
import java.nio.ByteBuffer;
import java.util.List;
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

    /**
     * Runs the network on images of one size as one batch: their 8-bit pixels go to the device in one copy,
     * normalised there; {@code reader} gets the batch's outputs (N first).
     */
    public <T> T runBatch(List<RgbImage> images, Function<SegOutput, T> reader) {
        int w = images.get(0).width();
        int h = images.get(0).height();
        int hw = w * h;
        ByteBuffer planar = ByteBuffer.allocateDirect(images.size() * 3 * hw);
        for (RgbImage img : images) {
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("a batch needs images of one size: " + img.width() + "x"
                        + img.height() + " after " + w + "x" + h);
            }
            byte[] d = img.data();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < hw; i++) {
                    planar.put(d[i * 3 + c]);
                }
            }
        }
        planar.flip();
        try (NDManager step = manager.newSubManager()) {
            NDArray in = norm.onDevice(step.create(planar, new Shape(images.size(), 3, h, w), DataType.UINT8));
            SegOutput o = net.run(new ParameterStore(step, false), in, false);
            return reader.apply(o);
        }
    }

    /** The predicted train id per pixel (argmax of the logits), H x W row-major. */
    public static int[] argmax(SegOutput o) {
        return o.logits().argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
    }
}
