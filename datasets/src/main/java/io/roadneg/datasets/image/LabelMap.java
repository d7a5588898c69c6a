package io.roadneg.datasets.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A single-channel integer map (label ids, trainIds, instance ids, anomaly labels), row-major, values kept exactly.
 * Values fit 16 bits unsigned when written as PNG.
 *
 * <p>A map is stored as ints ({@link #data()}), or, when it was made from the samples of an 8- or 16-bit label PNG
 * ({@link #ofBytes}, {@link #ofBytes16}, as {@link Images#readLabelCompact} reads them), as those samples: one
 * unsigned byte a value ({@link #bytes()}), or two, most significant first ({@link #bytes16()}). That is a quarter
 * or half of the memory, and a PNG decoded and encoded again without widening every value to an int and narrowing it
 * back (a 2048x1024 8-bit map: about 2 of each 3 ms with C2, more with the quick compiler). Code that works on the
 * samples asks for them first; anything else calls {@link #data()}, which widens the samples to ints once (the map is
 * stored as ints from then on, and an array of samples taken from it earlier is no longer the map's). The values, the
 * equality and the hash are the same whichever way a map is stored. Like the arrays it wraps, a map is not for
 * threads to share while one of them may change it (widening changes it).
 */
public final class LabelMap {
    private final int width;
    private final int height;
    private int[] data;
    private byte[] bytes;
    private byte[] bytes16;

    /** Wraps {@code data} (not copied). */
    public LabelMap(int width, int height, int[] data) {
        this(width, height, Objects.requireNonNull(data, "data"), null, null);
    }

    private LabelMap(int width, int height, int[] data, byte[] bytes, byte[] bytes16) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label size must be positive, found " + width + "x" + height);
        }
        long length = data != null ? data.length : bytes != null ? bytes.length : bytes16.length / 2L;
        if (length != (long) width * height || bytes16 != null && bytes16.length % 2 != 0) {
            throw new IllegalArgumentException("data length " + (data != null ? data.length : bytes != null
                    ? bytes.length : bytes16.length) + " does not hold " + width + "*" + height + " values");
        }
        this.width = width;
        this.height = height;
        this.data = data;
        this.bytes = bytes;
        this.bytes16 = bytes16;
    }

    /** A map of 8-bit values, one unsigned byte each, wrapping {@code bytes} (not copied). */
    public static LabelMap ofBytes(int width, int height, byte[] bytes) {
        return new LabelMap(width, height, null, Objects.requireNonNull(bytes, "bytes"), null);
    }

    /** A map of 16-bit values, two bytes each (most significant first), wrapping {@code bytes} (not copied). */
    public static LabelMap ofBytes16(int width, int height, byte[] bytes) {
        return new LabelMap(width, height, null, null, Objects.requireNonNull(bytes, "bytes"));
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

    /**
     * The backing ints (shared, not copied). A map stored as samples is widened to ints here, once: it is stored as
     * ints from then on.
     */
    public int[] data() {
        if (data == null) {
            int[] d = new int[width * height];
            for (int i = 0; i < d.length; i++) {
                d[i] = sample(i);
            }
            data = d;
            bytes = null;
            bytes16 = null;
        }
        return data;
    }

    /**
     * The backing bytes of a map stored as 8-bit samples (shared, not copied; a value is {@code b & 0xff}), else
     * null.
     */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * The backing bytes of a map stored as 16-bit samples (shared, not copied; value {@code i} is bytes {@code 2i}
     * (high) and {@code 2i + 1} (low)), else null.
     */
    public byte[] bytes16() {
        return bytes16;
    }

    /** Value {@code i} of a map stored as samples. */
    private int sample(int i) {
        return bytes != null ? bytes[i] & 0xff : (bytes16[2 * i] & 0xff) << 8 | bytes16[2 * i + 1] & 0xff;
    }

    private int value(int i) {
        return data != null ? data[i] : sample(i);
    }

    public int get(int x, int y) {
        return value(y * width + x);
    }

    public void set(int x, int y, int value) {
        int i = y * width + x;
        if (bytes != null && value >= 0 && value <= 255) {
            bytes[i] = (byte) value;
        } else if (bytes16 != null && value >= 0 && value <= 65535) {
            bytes16[2 * i] = (byte) (value >>> 8);
            bytes16[2 * i + 1] = (byte) value;
        } else {
            data()[i] = value;
        }
    }

    /** Largest value in the map. */
    public int max() {
        int m = Integer.MIN_VALUE;
        for (int i = 0, n = width * height; i < n; i++) {
            m = Math.max(m, value(i));
        }
        return m;
    }

    /** Smallest value in the map. */
    public int min() {
        int m = Integer.MAX_VALUE;
        for (int i = 0, n = width * height; i < n; i++) {
            m = Math.min(m, value(i));
        }
        return m;
    }

    /** A new map with every value passed through {@code lut} (values must index into it), stored as ints. */
    public LabelMap mapped(int[] lut) {
        int[] out = new int[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = lut[value(i)];
        }
        return new LabelMap(width, height, out);
    }

    /** A deep copy, stored as this map is. */
    public LabelMap copy() {
        return new LabelMap(width, height, data == null ? null : data.clone(), bytes == null ? null : bytes.clone(),
                bytes16 == null ? null : bytes16.clone());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LabelMap other) || other.width != width || other.height != height) {
            return false;
        }
        if (data != null && other.data != null) {
            return Arrays.equals(data, other.data);
        }
        if (bytes != null && other.bytes != null) {
            return Arrays.equals(bytes, other.bytes);
        }
        if (bytes16 != null && other.bytes16 != null) {
            return Arrays.equals(bytes16, other.bytes16);
        }
        for (int i = 0, n = width * height; i < n; i++) {
            if (value(i) != other.value(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        // the hash of the values as ints, however they are stored (Arrays.hashCode of the int array)
        int h = data != null ? Arrays.hashCode(data) : 1;
        for (int i = 0, n = data != null ? 0 : width * height; i < n; i++) {
            h = 31 * h + sample(i);
        }
        return 31 * (31 * width + height) + h;
    }

    @Override
    public String toString() {
        return "LabelMap[" + width + "x" + height + "]";
    }
}
