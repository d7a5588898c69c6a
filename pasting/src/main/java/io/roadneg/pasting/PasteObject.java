package io.roadneg.pasting;

import io.roadneg.datasets.image.RgbImage;

/**
 * An object cut out of a source image, ready to paste: its pixels, a binary mask of the same size (non-zero = object)
 * and where it came from.
 *
 * @param rgb the pixels of the object's box (context around the object may be included; only mask pixels paste)
 * @param mask one byte per pixel, row-major, non-zero inside the object
 * @param sourceId stable id of the source item (e.g. {@code coco:train2017:000000000139})
 * @param categoryId category of the object in its source label space, or -1
 * @param categoryName category name, or "outlier"
 */
public record PasteObject(RgbImage rgb, byte[] mask, String sourceId, int categoryId, String categoryName) {
    /** Checks that the mask matches the image and is not empty. */
    public PasteObject {
        if (mask.length != rgb.width() * rgb.height()) {
            throw new IllegalArgumentException("mask length " + mask.length + " != " + rgb.width() + "x" + rgb.height());
        }
    }

    /** Number of mask pixels. */
    public int area() {
        int a = 0;
        for (byte b : mask) {
            if (b != 0) {
                a++;
            }
        }
        return a;
    }
}
