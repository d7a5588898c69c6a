package io.roadneg.datasets.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte-wise arithmetic modulo 256 on the eight bytes of a long at once, for the PNG filters: the bytes of a row read
 * and written as longs ({@link #LONGS}). No carry or borrow crosses from one byte into the next (Warren, Hacker's
 * Delight, 2nd ed., section 2-18, "Multibyte Add, Subtract, Absolute Value"). Besides running the filters in an
 * eighth of the steps under C2, this is what makes them fast under the quick compiler (C1), which neither
 * vectorizes nor unrolls a byte loop: a 2048x1024 RGB frame's UP filter 6.1 -> 2.3 ms with C1 only. Also the
 * search for the next non-zero byte that the run-wise filters and mask scans share ({@link #nextNonZero}).
 */
public final class ByteLanes {
    /** Eight bytes of a byte array as one little-endian long (the byte order does not matter to these sums). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long HIGH = 0x8080808080808080L;

    /** Zeros to copy from and compare with ({@link #upRuns}, {@link #nextNonZero}); never written. */
    private static final byte[] ZEROS = new byte[1 << 16];
    /** Each byte value mapped to itself ({@link #upRuns} is {@link #upRunsMapped} through it). */
    private static final byte[] IDENTITY = new byte[256];

    static {
        for (int v = 0; v < 256; v++) {
            IDENTITY[v] = (byte) v;
        }
    }

    /** Bytes a label row's differing stretch is filtered in before looking for the next equal stretch. */
    private static final int STEP = 16;

    private ByteLanes() {
    }

    /**
     * The UP filter of a row of label samples, {@code out[o + i] = src[row + i] - src[prev + i]}, for a row that
     * mostly repeats the one above (a label map: runs of one class, and a row differs from the one above only where
     * a region's edge crosses it): the equal stretches found by {@link java.util.Arrays#mismatch} (a vectorized
     * intrinsic) and copied in as zeros, the rest subtracted {@link #STEP} bytes at a time. The same bytes as a plain
     * loop; about 3x faster on street label maps with the quick compiler, which neither vectorizes nor unrolls the
     * plain loop.
     */
    static void upRuns(byte[] src, int row, int prev, int stride, byte[] out, int o) {
        upRunsMapped(src, row, prev, stride, IDENTITY, out, o);
    }

    /**
     * {@link #upRuns} of the rows as mapped through {@code table} (256 entries, a value's image depends on the value
     * alone): {@code out[o + i] = table[src[row + i]] - table[src[prev + i]]}. Where the source rows are equal the
     * mapped rows are too, so only the stretches where the source differs are looked up; the same bytes as mapping
     * both rows whole and filtering them.
     */
    static void upRunsMapped(byte[] src, int row, int prev, int stride, byte[] table, byte[] out, int o) {
        int i = 0;
        while (i < stride) {
            int m = java.util.Arrays.mismatch(src, row + i, row + stride, src, prev + i, prev + stride);
            int equal = m < 0 ? stride - i : m;
            while (equal > 0) {
                int n = Math.min(equal, ZEROS.length);
                System.arraycopy(ZEROS, 0, out, o + i, n);
                i += n;
                equal -= n;
            }
            for (int end = Math.min(stride, i + STEP); i < end; i++) {
                out[o + i] = (byte) (table[src[row + i] & 0xff] - table[src[prev + i] & 0xff]);
            }
        }
    }

    /**
     * The first index in {@code [from, to)} where {@code a} is not zero, or {@code to}: stretches of zeros are
     * skipped by {@link java.util.Arrays#mismatch} (a vectorized intrinsic) against zeros, a chunk at a time; for
     * arrays that are mostly zeros (masks, filtered label rows).
     */
    public static int nextNonZero(byte[] a, int from, int to) {
        int i = from;
        while (i < to) {
            int n = Math.min(to - i, ZEROS.length);
            int m = java.util.Arrays.mismatch(a, i, i + n, ZEROS, 0, n);
            if (m >= 0) {
                return i + m;
            }
            i += n;
        }
        return to;
    }

    /**
     * Reverses {@link #upRuns} in place, {@code b[row + i] += b[prev + i]}: stretches of zero differences (found by
     * comparing with zeros) become copies of the row above, the rest is added {@link #STEP} bytes at a time. For
     * label rows; the same bytes as a plain loop.
     */
    static void addUpRuns(byte[] b, int row, int prev, int stride) {
        int i = 0;
        while (i < stride) {
            int zero = nextNonZero(b, row + i, row + stride) - (row + i);
            System.arraycopy(b, prev + i, b, row + i, zero);
            i += zero;
            for (int end = Math.min(stride, i + STEP); i < end; i++) {
                b[row + i] += b[prev + i];
            }
        }
    }

    /**
     * The UP filter of a row, {@code out[o + i] = src[row + i] - src[prev + i]} for {@code i < stride}, eight bytes
     * at a time (for photographs, whose rows differ from the ones above almost everywhere).
     */
    static void up(byte[] src, int row, int prev, int stride, byte[] out, int o) {
        rows(src, row, prev, stride, out, o, false);
    }

    /**
     * Reverses {@link #up} in place, {@code b[row + i] += b[prev + i]} for {@code i < stride}, eight bytes at a time.
     * (The plain loop reads and writes one array, which C2 does not vectorize; this runs about 1.5x as fast on street
     * frames.)
     */
    static void addUp(byte[] b, int row, int prev, int stride) {
        rows(b, row, prev, stride, b, row, true);
    }

    /**
     * {@code out[o + i] = src[row + i] -/+ src[prev + i]} for {@code i < stride} ({@code out} may be {@code src} at
     * {@code o == row}: each step reads before it writes), four longs a step: the quick compiler does not unroll (a
     * 2048x1024 frame's UP filter 1.7 -> 1.4 ms with it).
     */
    private static void rows(byte[] src, int row, int prev, int stride, byte[] out, int o, boolean add) {
        int i = 0;
        for (; i + 32 <= stride; i += 32) {
            int r = row + i;
            int p = prev + i;
            int q = o + i;
            long a0 = (long) LONGS.get(src, r);
            long a1 = (long) LONGS.get(src, r + 8);
            long a2 = (long) LONGS.get(src, r + 16);
            long a3 = (long) LONGS.get(src, r + 24);
            long b0 = (long) LONGS.get(src, p);
            long b1 = (long) LONGS.get(src, p + 8);
            long b2 = (long) LONGS.get(src, p + 16);
            long b3 = (long) LONGS.get(src, p + 24);
            LONGS.set(out, q, add ? add(a0, b0) : sub(a0, b0));
            LONGS.set(out, q + 8, add ? add(a1, b1) : sub(a1, b1));
            LONGS.set(out, q + 16, add ? add(a2, b2) : sub(a2, b2));
            LONGS.set(out, q + 24, add ? add(a3, b3) : sub(a3, b3));
        }
        for (; i + 8 <= stride; i += 8) {
            long a = (long) LONGS.get(src, row + i);
            long b = (long) LONGS.get(src, prev + i);
            LONGS.set(out, o + i, add ? add(a, b) : sub(a, b));
        }
        for (; i < stride; i++) {
            out[o + i] = (byte) (add ? src[row + i] + src[prev + i] : src[row + i] - src[prev + i]);
        }
    }

    /** Each byte of {@code x} plus the same byte of {@code y}, modulo 256. */
    static long add(long x, long y) {
        return ((x & LOW7) + (y & LOW7)) ^ ((x ^ y) & HIGH);
    }

    /** Each byte of {@code x} minus the same byte of {@code y}, modulo 256. */
    static long sub(long x, long y) {
        return ((x | HIGH) - (y & LOW7)) ^ ((x ^ ~y) & HIGH);
    }
}
