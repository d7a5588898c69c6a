package io.roadneg.generators.masks;

import io.roadneg.datasets.coco.Rle;

/**
 * A prompter's answer to one prompt: a full-image binary mask and a quality score in [0, 1] (the prompter's own
 * estimate; higher = more trustworthy).
 *
 * @param width image width
 * @param height image height
 * @param mask row-major 0/1 bytes, {@code mask[y * width + x]}
 * @param score quality estimate
 */
public record PredictedMask(int width, int height, byte[] mask, double score) {

    /** Checks the mask size. */
    public PredictedMask {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("mask length " + mask.length + " != " + width + "*" + height);
        }
    }

    /** The mask as a COCO RLE. */
    public Rle toRle() {
        return Rle.fromRowMajor(mask, height, width);
    }

    /** Number of foreground pixels. */
    public long area() {
        long a = 0;
        for (byte b : mask) {
            a += b;
        }
        return a;
    }
}
