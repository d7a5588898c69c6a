package io.roadneg.datasets.coco;

import java.util.Arrays;

/**
 * A COCO run-length-encoded binary mask: the mask is flattened column-major (index {@code x * h + y}) and
 * {@code counts} alternate runs of 0s and 1s, starting with a (possibly empty) run of 0s. Counts sum to {@code h * w}.
 *
 * <p>The string codec is bit-exact with pycocotools' {@code rleToString} / {@code rleFrString}.
 */
public record Rle(int height, int width, long[] counts) {

    /** Validates sizes and that counts are non-negative and sum to {@code h * w}. */
    public Rle {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("RLE size must be non-negative, found " + height + "x" + width);
        }
        long sum = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("RLE count must be non-negative, found " + c);
            }
            sum += c;
        }
        if (sum != (long) height * width) {
            throw new IllegalArgumentException(
                    "RLE counts sum to " + sum + " but size " + height + "x" + width + " needs " + (long) height * width);
        }
    }

    /** Encodes a row-major mask ({@code mask[y * w + x] != 0} is foreground). */
    public static Rle fromRowMajor(byte[] mask, int height, int width) {
        if (mask.length != height * width) {
            throw new IllegalArgumentException("mask length " + mask.length + " != " + height + "*" + width);
        }
        long[] buf = new long[16];
        int n = 0;
        boolean cur = false;
        long run = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                boolean v = mask[y * width + x] != 0;
                if (v != cur) {
                    if (n == buf.length) {
                        buf = Arrays.copyOf(buf, n * 2);
                    }
                    buf[n++] = run;
                    run = 0;
                    cur = v;
                }
                run++;
            }
        }
        if (n == buf.length) {
            buf = Arrays.copyOf(buf, n + 1);
        }
        buf[n++] = run;
        return new Rle(height, width, Arrays.copyOf(buf, n));
    }

    /** Decodes to a row-major mask of 0/1 bytes. */
    public byte[] toRowMajor() {
        byte[] out = new byte[height * width];
        long pos = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if ((i & 1) == 1) {
                for (long p = pos; p < pos + c; p++) {
                    int x = (int) (p / height);
                    int y = (int) (p % height);
                    out[y * width + x] = 1;
                }
            }
            pos += c;
        }
        return out;
    }

    /**
     * Sets {@code value} at every foreground pixel of a row-major {@code h * w} buffer, leaving the others alone; this
     * is how several masks are united without decoding each into its own buffer.
     */
    public void paintRowMajor(byte[] out, byte value) {
        if (out.length != height * width) {
            throw new IllegalArgumentException("buffer length " + out.length + " != " + height + "*" + width);
        }
        long pos = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if ((i & 1) == 1) {
                for (long p = pos; p < pos + c; p++) {
                    out[(int) (p % height) * width + (int) (p / height)] = value;
                }
            }
            pos += c;
        }
    }

    /** Number of foreground pixels: the sum of the odd-indexed counts. */
    public long area() {
        long a = 0;
        for (int i = 1; i < counts.length; i += 2) {
            a += counts[i];
        }
        return a;
    }

    /**
     * Tight bounding box {@code [x, y, w, h]} as pycocotools' {@code toBbox} computes it (all zeros for an empty mask).
     */
    public double[] bbox() {
        if (height == 0 || area() == 0) {
            return new double[4];
        }
        long xs = Long.MAX_VALUE;
        long ys = Long.MAX_VALUE;
        long xe = 0;
        long ye = 0;
        long pos = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if ((i & 1) == 1 && c > 0) {
                long start = pos;
                long end = pos + c - 1;
                long x0 = start / height;
                long x1 = end / height;
                xs = Math.min(xs, x0);
                xe = Math.max(xe, x1);
                if (x0 == x1) {
                    ys = Math.min(ys, start % height);
                    ye = Math.max(ye, end % height);
                } else {
                    ys = 0;
                    ye = height - 1;
                }
            }
            pos += c;
        }
        return new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
    }

    /** The pycocotools compressed string form of the counts. */
    public String toCompressedString() {
        StringBuilder sb = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                sb.append((char) (c + 48));
            }
        }
        return sb.toString();
    }

    /** Parses the pycocotools compressed string form for a mask of the given size. */
    public static Rle fromCompressedString(String s, int height, int width) {
        long[] counts = decodeCounts(s);
        return new Rle(height, width, counts);
    }

    /** Decodes a compressed counts string into raw counts (no size check). */
    public static long[] decodeCounts(String s) {
        long[] cnts = new long[Math.max(4, s.length())];
        int m = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("compressed RLE string ends inside a count at position " + p);
                }
                int ch = s.charAt(p) - 48;
                if (ch < 0 || ch > 63) {
                    throw new IllegalArgumentException(
                            "compressed RLE string has invalid character '" + s.charAt(p) + "' at position " + p);
                }
                long c = ch;
                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
                if (k > 12) {
                    throw new IllegalArgumentException("compressed RLE count too long at position " + p);
                }
            }
            if (m > 2) {
                x += cnts[m - 2];
            }
            cnts[m++] = x;
        }
        return Arrays.copyOf(cnts, m);
    }

    /** Union of masks of the same size. */
    public static Rle union(Iterable<Rle> masks, int height, int width) {
        byte[] acc = new byte[height * width];
        for (Rle r : masks) {
            if (r.height != height || r.width != width) {
                throw new IllegalArgumentException("RLE size " + r.height + "x" + r.width + " != " + height + "x" + width);
            }
            byte[] m = r.toRowMajor();
            for (int i = 0; i < acc.length; i++) {
                acc[i] |= m[i];
            }
        }
        return fromRowMajor(acc, height, width);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Rle[" + height + "x" + width + ", " + counts.length + " runs, area " + area() + "]";
    }
}
