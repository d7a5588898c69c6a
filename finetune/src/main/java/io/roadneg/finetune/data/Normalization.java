package io.roadneg.finetune.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.roadneg.datasets.image.RgbImage;

/** Per-channel normalisation of 8-bit RGB into the float layout a network reads. */
public record Normalization(double[] mean, double[] std) {
    /** ImageNet statistics on [0, 1] pixels (the usual pretrained-backbone convention). */
    public static Normalization imagenet() {
        return new Normalization(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
    }

    /** Per-channel factors: a value v becomes {@code v * scale[c] - shift[c]} in float32. */
    private float[] scale() {
        float[] scale = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (1.0 / (255.0 * std[c]));
        }
        return scale;
    }

    private float[] shift() {
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            shift[c] = (float) (mean[c] / std[c]);
        }
        return shift;
    }

    /**
     * Normalises 8-bit planar pixels N x 3 x H x W on their device: float32 {@code v * scale[c] - shift[c]}, the
     * same operations in the same order as {@link #write}, so both give the same bits.
     */
    public NDArray onDevice(NDArray pixels) {
        NDManager m = pixels.getManager();
        NDArray scale = m.create(scale(), new Shape(1, 3, 1, 1));
        NDArray shift = m.create(shift(), new Shape(1, 3, 1, 1));
        return pixels.toType(DataType.FLOAT32, false).mul(scale).sub(shift);
    }

    /** Writes the image as 3 x H x W floats at {@code offset}. */
    public void write(RgbImage img, float[] out, int offset) {
        int hw = img.width() * img.height();
        byte[] d = img.data();
        float[] scale = scale();
        float[] shift = shift();
        for (int i = 0; i < hw; i++) {
            for (int c = 0; c < 3; c++) {
                out[offset + c * hw + i] = (d[i * 3 + c] & 0xff) * scale[c] - shift[c];
            }
        }
    }
}
