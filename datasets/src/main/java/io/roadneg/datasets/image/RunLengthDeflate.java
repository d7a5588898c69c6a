package io.roadneg.datasets.image;

import java.util.zip.Adler32;

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
        Bits w = new Bits(out);
        out[0] = 0x78; // deflate, 32 KiB window
        out[1] = 0x01; // no dictionary, fastest; (0x78 * 256 + 0x01) % 31 == 0
        w.pos = 2;
        w.put(0b011, 3); // final block, fixed Huffman codes
        int i = 0;
        while (i < len) {
            int b = in[i] & 0xff;
            w.put(SYM_CODE[b], SYM_BITS[b]);
            int end = i + 1;
            int run = 0;
            if (end < len) {
                int m = java.util.Arrays.mismatch(in, end, len, in, i, len - 1);
                run = m < 0 ? len - end : m;
            }
            int at = end;
            while (run >= 3) {
                int n = Math.min(run, 258);
                w.put(MATCH_CODE[n], MATCH_BITS[n]);
                run -= n;
                at += n;
            }
            for (; run > 0; run--, at++) {
                w.put(SYM_CODE[b], SYM_BITS[b]);
            }
            i = at;
        }
        w.put(SYM_CODE[256], SYM_BITS[256]);
        w.flush();
        Adler32 adler = new Adler32();
        adler.update(in, 0, len);
        int a = (int) adler.getValue();
        out[w.pos] = (byte) (a >>> 24);
        out[w.pos + 1] = (byte) (a >>> 16);
        out[w.pos + 2] = (byte) (a >>> 8);
        out[w.pos + 3] = (byte) a;
        return w.pos + 4;
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
