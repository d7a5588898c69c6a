package io.roadneg.finetune.data;

import io.roadneg.datasets.image.RgbImage;

/** Per-channel normalisation of 8-bit RGB into the float layout a network reads. */
public record Normalization(double[] mean, double[] std) {
    /** ImageNet statistics on [0, 1] pixels (the usual pretrained-backbone convention). */
    public static Normalization imagenet() {
        return new Normalization(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
    }

    /** Writes the image as 3 x H x W floats at {@code offset}. */
    public void write(RgbImage img, float[] out, int offset) {
        int hw = img.width() * img.height();
        byte[] d = img.data();
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (1.0 / (255.0 * std[c]));
            shift[c] = (float) (mean[c] / std[c]);
        }
        for (int i = 0; i < hw; i++) {
            for (int c = 0; c < 3; c++) {
                out[offset + c * hw + i] = (d[i * 3 + c] & 0xff) * scale[c] - shift[c];
            }
        }
    }
}
