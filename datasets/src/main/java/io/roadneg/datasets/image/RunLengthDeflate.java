package io.roadneg.datasets.image;

/**
 * A zlib stream (RFC 1950) holding one deflate block with the fixed Huffman codes (RFC 1951, section 3.2.6) in which
 * every match has distance 1: each run of a repeated byte becomes one literal and matches of up to 258 bytes. That
 * is all a filtered label map needs (rows equal to the one above are runs of zeros after the UP filter, and regions
 * are runs of one value), and it needs no hash table, no match search and no code tables per stream, so it runs
 * several times faster than zlib's fastest level on a 2048x1024 label map for files of a similar size. Any inflater
 * reads the result; the bytes depend only on the input.
 */
final class RunLengthDeflate {
    /** Bit-reversed fixed literal/length code and its length, per symbol 0..285. */
    private static final int[] SYM_CODE = new int[286];
    private static final int[] SYM_BITS = new int[286];
    /** For a match length 3..258: its code, extra bits and the 5-bit distance code 0 (distance 1), LSB first. */
    private static final long[] MATCH_CODE = new long[259];
    private static final int[] MATCH_BITS = new int[259];

    static {
        for (int s = 0; s < 286; s++) {
            int code;
            int bits;
            if (s < 144) {
                code = 0x30 + s;
                bits = 8;
            } else if (s < 256) {
                code = 0x190 + s - 144;
                bits = 9;
            } else if (s < 280) {
                code = s - 256;
                bits = 7;
            } else {
                code = 0xc0 + s - 280;
                bits = 8;
            }
            SYM_CODE[s] = Integer.reverse(code) >>> (32 - bits);
            SYM_BITS[s] = bits;
        }
        // length symbols 257..284: base lengths and extra bits of RFC 1951 section 3.2.5; 285 is 258 exactly
        int[] extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5};
        int base = 3;
        for (int k = 0; k < extra.length; k++) {
            int sym = 257 + k;
            for (int e = 0; e < (1 << extra[k]); e++) {
                int len = base + e;
                if (len <= 257) {
                    MATCH_CODE[len] = SYM_CODE[sym] | ((long) e << SYM_BITS[sym]);
                    MATCH_BITS[len] = SYM_BITS[sym] + extra[k] + 5; // distance code 0 is five zero bits
                }
            }
            base += 1 << extra[k];
        }
        MATCH_CODE[258] = SYM_CODE[285];
        MATCH_BITS[258] = SYM_BITS[285] + 5;
    }

    private RunLengthDeflate() {
    }

    /** Worst case output size for {@code len} input bytes: 9 bits per literal plus header, end code and checksum. */
    static int bound(int len) {
        return len + (len >>> 3) + 16;
    }

    /**
     * Compresses {@code in[0, len)} into {@code out} (at least {@link #bound(int)} bytes) and returns the number of
     * bytes written.
     */
    static int compress(byte[] in, int len, byte[] out) {
        if (out.length < bound(len)) {
            throw new IllegalArgumentException("output buffer of " + out.length + " bytes, needs " + bound(len));
        }
        Stream s = new Stream(out);
        s.write(in, 0, len);
        return s.finish();
    }

    /**
     * The same stream written piece by piece (a label map row by row, never held whole): the bytes are those of
     * {@link #compress} on the concatenated pieces, runs crossing piece boundaries included. Each run is written when
     * it ends: one literal, matches of up to 258 bytes, then at most two more literals; the Adler-32 of the input is
     * advanced per run in closed form (a run of n bytes b adds n*b to the byte sum and n*s1 + b*n(n+1)/2 to the sum
     * of sums), so it costs nothing per byte. The caller sizes {@code out} for the whole input ({@link #bound(int)}).
     */
    static final class Stream {
        private static final int MOD = 65521;
        /**
         * Runs shorter than this, and up to {@link #UNREDUCED} bytes of them, are summed without reducing modulo
         * {@link #MOD} (the remainders are what cost, four long divisions a run, a call each under the quick
         * compiler): s1 stays below MOD + 255 * 2^24 and s2 below 2^58, far from overflow.
         */
        private static final long SHORT_RUN = 1 << 20;
        private static final long UNREDUCED = 1 << 24;
        private final Bits w;
        private long s1 = 1;
        private long s2;
        /** Bytes summed into {@link #s1} and {@link #s2} since they were last reduced. */
        private long unreduced;
        /** The byte of the run in progress and its length so far (0: none yet). */
        private int runByte;
        private long runLength;

        Stream(byte[] out) {
            w = new Bits(out);
            out[0] = 0x78; // deflate, 32 KiB window
            out[1] = 0x01; // no dictionary, fastest; (0x78 * 256 + 0x01) % 31 == 0
            w.pos = 2;
            w.put(0b011, 3); // final block, fixed Huffman codes
        }

        /** Appends {@code in[off, off + len)}. */
        void write(byte[] in, int off, int len) {
            int i = off;
            int end = off + len;
            while (i < end) {
                int b = in[i] & 0xff;
                if (runLength == 0 || b != runByte) {
                    endRun();
                    runByte = b;
                    runLength = 1;
                    i++;
                    continue;
                }
                // in[i] continues the run; so did in[i - 1] when it is in this piece: count the equal bytes from i
                int n = 1;
                if (i > off) {
                    int m = java.util.Arrays.mismatch(in, i, end, in, i - 1, end - 1);
                    n = m < 0 ? end - i : m;
                }
                runLength += n;
                i += n;
            }
        }

        /** Writes the last run, the end code and the Adler-32; returns the stream's length in bytes. */
        int finish() {
            endRun();
            w.put(SYM_CODE[256], SYM_BITS[256]);
            w.flush();
            reduce();
            int a = (int) (s2 << 16 | s1);
            byte[] out = w.out;
            out[w.pos] = (byte) (a >>> 24);
            out[w.pos + 1] = (byte) (a >>> 16);
            out[w.pos + 2] = (byte) (a >>> 8);
            out[w.pos + 3] = (byte) a;
            return w.pos + 4;
        }

        private void endRun() {
            long n = runLength;
            if (n == 0) {
                return;
            }
            int b = runByte;
            if (n < SHORT_RUN && unreduced + n <= UNREDUCED) {
                s2 += n * s1 + b * (n * (n + 1) / 2);
                s1 += n * b;
                unreduced += n;
            } else {
                reduce();
                s2 = (s2 + n % MOD * s1 + (long) b * (n * (n + 1) / 2 % MOD)) % MOD;
                s1 = (s1 + n % MOD * b) % MOD;
            }
            w.put(SYM_CODE[b], SYM_BITS[b]);
            long run = n - 1;
            while (run >= 3) {
                int k = (int) Math.min(run, 258);
                w.put(MATCH_CODE[k], MATCH_BITS[k]);
                run -= k;
            }
            for (; run > 0; run--) {
                w.put(SYM_CODE[b], SYM_BITS[b]);
            }
            runLength = 0;
        }

        private void reduce() {
            s1 %= MOD;
            s2 %= MOD;
            unreduced = 0;
        }
    }

    /** An LSB-first bit writer (deflate's bit order) over a byte array. */
    private static final class Bits {
        final byte[] out;
        int pos;
        long acc;
        int n;

        Bits(byte[] out) {
            this.out = out;
        }

        void put(long bits, int count) {
            acc |= bits << n;
            n += count;
            if (n >= 32) {
                out[pos] = (byte) acc;
                out[pos + 1] = (byte) (acc >>> 8);
                out[pos + 2] = (byte) (acc >>> 16);
                out[pos + 3] = (byte) (acc >>> 24);
                pos += 4;
                acc >>>= 32;
                n -= 32;
            }
        }

        void flush() {
            while (n > 0) {
                out[pos++] = (byte) acc;
                acc >>>= 8;
                n -= 8;
            }
            n = 0;
        }
    }
}
