package io.roadneg.datasets.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit RGB image, interleaved row-major ({@code data[(y * width + x) * 3 + c]}, c = 0 red, 1 green, 2 blue).
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] data;

    /** Wraps {@code data} (not copied). */
    public RgbImage(int width, int height, byte[] data) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, found " + width + "x" + height);
        }
        Objects.requireNonNull(data, "data");
        if (data.length != width * height * 3) {
            throw new IllegalArgumentException("data length " + data.length + " != " + width + "*" + height + "*3");
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /** A black image. */
    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (shared, not copied). */
    public byte[] data() {
        return data;
    }

    /** Channel value 0..255 at (x, y). */
    public int get(int x, int y, int c) {
        return data[(y * width + x) * 3 + c] & 0xff;
    }

    /** Packed 0xRRGGBB at (x, y). */
    public int rgb(int x, int y) {
        int i = (y * width + x) * 3;
        return (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff);
    }

    /** Sets (x, y) from packed 0xRRGGBB. */
    public void setRgb(int x, int y, int rgb) {
        int i = (y * width + x) * 3;
        data[i] = (byte) (rgb >>> 16);
        data[i + 1] = (byte) (rgb >>> 8);
        data[i + 2] = (byte) rgb;
    }

    /** A deep copy. */
    public RgbImage copy() {
        return new RgbImage(width, height, data.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
