package io.roadneg.datasets.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.Adler32;

/**
 * The Adler-32 checksum of a zlib stream (RFC 1950, section 8.2) over a whole array range, the trailer of every PNG
 * image stream the codec reads or writes.
 *
 * <p>Two ways to the same value. Where the optimizing compiler (C2) runs, {@code java.util.zip.Adler32}: C2 compiles
 * its {@code update} to a vector intrinsic (about 20 GB/s here; the launcher makes C2 compile it early). Where only the
 * quick compiler (C1) runs, as the launcher sets up short runs, that method stays a JNI call into the system zlib,
 * whose loop adds one byte after another (about 2.5 GB/s here, 12 % of a two-thread paste run's CPU time);
 * {@link #swar} then sums eight bytes a step in the lanes of two longs and runs several times as fast under C1.
 * The launcher says which with {@code -Droadneg.jit=c1}.
 */
public final class ZlibAdler {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MOD = 65521;
    /** The even bytes of a long, each in a 16-bit lane. */
    private static final long EVEN = 0x00ff00ff00ff00ffL;
    private static final long LANES32 = 0x0000ffff0000ffffL;
    /** Words (8 bytes) a block sums in 16-bit lanes: the running sums' lanes stay below 255 * 16 * 15 / 2 = 30600. */
    private static final int BLOCK_WORDS = 16;
    private static final int BLOCK = 8 * BLOCK_WORDS;
    /** Blocks between two reductions modulo 65521 (the sums stay far below 2^63). */
    private static final int BLOCKS_PER_REDUCTION = 256;

    /** True when the launcher runs this JVM with the quick compiler only: {@link #swar} then. */
    private static boolean quickCompilerOnly = "c1".equals(System.getProperty("roadneg.jit"));

    private ZlibAdler() {
    }

    /** The Adler-32 of {@code b[off, off + len)}, by whichever way is the faster in this JVM. */
    public static int of(byte[] b, int off, int len) {
        Running r = start();
        r.update(b, off, len);
        return r.value();
    }

    /** A checksum to feed piece by piece (a PNG's rows as they are filtered or unfiltered, while in the cache). */
    public static Running start() {
        return quickCompilerOnly ? new Running(null) : new Running(new Adler32());
    }

    /** Tests: sums by {@link #swar} (true) or {@code java.util.zip.Adler32} from now on; returns the way before. */
    static boolean useSwar(boolean on) {
        boolean was = quickCompilerOnly;
        quickCompilerOnly = on;
        return was;
    }

    /** An Adler-32 fed piece by piece; {@link #value} is that of all the pieces in order. */
    public static final class Running {
        private final Adler32 jdk;
        private int value = 1;

        private Running(Adler32 jdk) {
            this.jdk = jdk;
        }

        /** Adds {@code b[off, off + len)}. */
        public void update(byte[] b, int off, int len) {
            if (jdk != null) {
                jdk.update(b, off, len);
            } else {
                value = swar(value, b, off, len);
            }
        }

        /** The checksum of everything added so far. */
        public int value() {
            return jdk != null ? (int) jdk.getValue() : value;
        }
    }

    /**
     * The Adler-32 {@code adler} (1 for none) continued over {@code b[off, off + len)}, summed eight bytes a step
     * (as zlib's {@code adler32(adler, buf, len)}). For bytes d_0 .. d_{L-1} from the state
     * (a, b): a' = a + sum d_i and b' = b + L a + sum (L - i) d_i. A block of m words keeps, per byte position k of a
     * word, the sum T_k of its bytes (the lanes of {@code s1}) and the sum over words of the sums before them (the
     * lanes of {@code s2}, which is sum (m - 1 - j) d_{8j+k}); then sum (L - i) d_i = 8 * (sum of s2's lanes) +
     * sum_k (8 - k) T_k.
     */
    static int swar(int adler, byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        long a = adler & 0xffff;
        long s = adler >>> 16;
        int end = off + len;
        int blocks = 0;
        while (end - off >= BLOCK) {
            long s1e = 0;
            long s1o = 0;
            long s2e = 0;
            long s2o = 0;
            // four words a step: C1 does not unroll
            for (int w = 0; w < BLOCK_WORDS; w += 4) {
                long x0 = (long) LONGS.get(b, off);
                long x1 = (long) LONGS.get(b, off + 8);
                long x2 = (long) LONGS.get(b, off + 16);
                long x3 = (long) LONGS.get(b, off + 24);
                off += 32;
                s2e += s1e;
                s2o += s1o;
                s1e += x0 & EVEN;
                s1o += (x0 >>> 8) & EVEN;
                s2e += s1e;
                s2o += s1o;
                s1e += x1 & EVEN;
                s1o += (x1 >>> 8) & EVEN;
                s2e += s1e;
                s2o += s1o;
                s1e += x2 & EVEN;
                s1o += (x2 >>> 8) & EVEN;
                s2e += s1e;
                s2o += s1o;
                s1e += x3 & EVEN;
                s1o += (x3 >>> 8) & EVEN;
            }
            // the lanes: s1e holds T_0, T_2, T_4, T_6 from the low end, s1o T_1, T_3, T_5, T_7
            long t0 = s1e & 0xffff;
            long t2 = (s1e >>> 16) & 0xffff;
            long t4 = (s1e >>> 32) & 0xffff;
            long t6 = s1e >>> 48;
            long t1 = s1o & 0xffff;
            long t3 = (s1o >>> 16) & 0xffff;
            long t5 = (s1o >>> 32) & 0xffff;
            long t7 = s1o >>> 48;
            long s2 = (s2e & LANES32) + ((s2e >>> 16) & LANES32) + (s2o & LANES32) + ((s2o >>> 16) & LANES32);
            s2 = (s2 & 0xffffffffL) + (s2 >>> 32);
            s += BLOCK * a + 8 * s2 + 8 * t0 + 7 * t1 + 6 * t2 + 5 * t3 + 4 * t4 + 3 * t5 + 2 * t6 + t7;
            a += t0 + t1 + t2 + t3 + t4 + t5 + t6 + t7;
            if (++blocks == BLOCKS_PER_REDUCTION) {
                a %= MOD;
                s %= MOD;
                blocks = 0;
            }
        }
        while (off < end) {
            a += b[off++] & 0xff;
            s += a;
        }
        return (int) ((s % MOD) << 16 | (a % MOD));
    }
}
