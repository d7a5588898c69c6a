package io.roadneg.datasets.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A single-channel integer map (label ids, trainIds, instance ids, anomaly labels), row-major, values kept exactly.
 * Values fit 16 bits unsigned when written as PNG.
 */
public final class LabelMap {
    private final int width;
    private final int height;
    private final int[] data;

    /** Wraps {@code data} (not copied). */
    public LabelMap(int width, int height, int[] data) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label size must be positive, found " + width + "x" + height);
        }
        Objects.requireNonNull(data, "data");
        if (data.length != width * height) {
            throw new IllegalArgumentException("data length " + data.length + " != " + width + "*" + height);
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /** A map filled with {@code value}. */
    public static LabelMap filled(int width, int height, int value) {
        int[] d = new int[width * height];
        Arrays.fill(d, value);
        return new LabelMap(width, height, d);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (shared, not copied). */
    public int[] data() {
        return data;
    }

    public int get(int x, int y) {
        return data[y * width + x];
    }

    public void set(int x, int y, int value) {
        data[y * width + x] = value;
    }

    /** Largest value in the map. */
    public int max() {
        int m = Integer.MIN_VALUE;
        for (int v : data) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Smallest value in the map. */
    public int min() {
        int m = Integer.MAX_VALUE;
        for (int v : data) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** A new map with every value passed through {@code lut} (values must index into it). */
    public LabelMap mapped(int[] lut) {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = lut[data[i]];
        }
        return new LabelMap(width, height, out);
    }

    /** A deep copy. */
    public LabelMap copy() {
        return new LabelMap(width, height, data.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap other && other.width == width && other.height == height
                && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LabelMap[" + width + "x" + height + "]";
    }
}
