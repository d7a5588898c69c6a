package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** The run-length deflate stream read back by the JDK's zlib and, inside a PNG, by OpenCV's libpng. */
class RunLengthDeflateTest {
    private static byte[] inflate(byte[] z, int zLen, int expected) throws DataFormatException {
        Inflater inf = new Inflater();
        inf.setInput(z, 0, zLen);
        byte[] out = new byte[expected + 16];
        int n = 0;
        while (!inf.finished()) {
            int k = inf.inflate(out, n, out.length - n);
            assertTrue(k > 0 || inf.finished(), "inflater stalled after " + n + " bytes");
            n += k;
        }
        assertEquals(0, inf.getRemaining(), "bytes after the zlib stream");
        inf.end();
        return Arrays.copyOf(out, n);
    }

    private static void roundTrip(byte[] in) throws DataFormatException {
        byte[] z = new byte[RunLengthDeflate.bound(in.length)];
        int n = RunLengthDeflate.compress(in, in.length, z);
        assertArrayEquals(in, inflate(z, n, in.length)); // the zlib Adler-32 is checked by the inflater too
    }

    @Test
    void everyRunLengthAroundTheMatchLimitsRoundTrips() throws DataFormatException {
        for (int run : new int[] {1, 2, 3, 4, 10, 11, 130, 131, 257, 258, 259, 260, 261, 262, 516, 517, 518, 5000}) {
            byte[] in = new byte[run + 2];
            Arrays.fill(in, 1, run + 1, (byte) 200); // 200 has a 9-bit literal code, 0 an 8-bit one
            in[run + 1] = 3;
            roundTrip(in);
        }
    }

    @Test
    void randomRunsOfAllByteValuesRoundTrip() throws DataFormatException {
        Random r = new Random(11);
        for (int t = 0; t < 30; t++) {
            byte[] in = new byte[r.nextInt(20000)];
            for (int i = 0; i < in.length; ) {
                int len = Math.min(in.length - i, r.nextInt(t % 3 == 0 ? 4 : 700) + 1);
                Arrays.fill(in, i, i + len, (byte) r.nextInt(256));
                i += len;
            }
            roundTrip(in);
        }
        roundTrip(new byte[0]);
    }

    /**
     * The Adler-32 is summed without reduction for short runs and reduced every 2^24 bytes: inputs past that many
     * bytes, of runs long and short (past 2^20 bytes too) of the largest byte values, end with zlib's checksum.
     */
    @Test
    void theChecksumOfLongInputsAndLongRunsIsZlibs() throws DataFormatException {
        Random r = new Random(5);
        byte[] in = new byte[40_000_000];
        for (int i = 0; i < in.length; ) {
            int len = Math.min(in.length - i, r.nextInt(10) == 0 ? (1 << 20) + r.nextInt(3 << 20)
                    : 1 + r.nextInt(r.nextBoolean() ? 5 : 3000));
            Arrays.fill(in, i, i + len, (byte) (r.nextBoolean() ? 255 : r.nextInt(256)));
            i += len;
        }
        for (int len : new int[] {in.length, (1 << 24) - 1, 1 << 24, (1 << 24) + 1, 3 << 20}) {
            byte[] z = new byte[RunLengthDeflate.bound(len)];
            RunLengthDeflate.Stream st = new RunLengthDeflate.Stream(z);
            for (int at = 0; at < len; at += 700_001) {
                st.write(in, at, Math.min(700_001, len - at));
            }
            int n = st.finish();
            java.util.zip.Adler32 a = new java.util.zip.Adler32();
            a.update(in, 0, len);
            long trailer = ((z[n - 4] & 0xffL) << 24) | ((z[n - 3] & 0xff) << 16) | ((z[n - 2] & 0xff) << 8)
                    | (z[n - 1] & 0xff);
            assertEquals(a.getValue(), trailer, "length " + len);
            assertArrayEquals(Arrays.copyOf(in, len), inflate(z, n, len));
        }
    }

    /**
     * The stream written in pieces (rows, with runs crossing the piece boundaries) equals, byte for byte, a one-shot
     * greedy encoder over the whole input written independently here (Adler-32 from the JDK), so label PNG bytes do
     * not depend on how the encoder is fed.
     */
    @Test
    void piecesGiveTheBytesOfOneShotGreedyEncoding() throws DataFormatException {
        Random r = new Random(23);
        for (int t = 0; t < 40; t++) {
            byte[] in = new byte[1 + r.nextInt(30000)];
            for (int i = 0; i < in.length; ) {
                int len = Math.min(in.length - i, r.nextInt(t % 4 == 0 ? 3 : 900) + 1);
                Arrays.fill(in, i, i + len, (byte) (r.nextInt(5) == 0 ? r.nextInt(256) : r.nextInt(3)));
                i += len;
            }
            byte[] expected = oneShot(in);
            byte[] z = new byte[RunLengthDeflate.bound(in.length)];
            RunLengthDeflate.Stream s = new RunLengthDeflate.Stream(z);
            for (int at = 0; at < in.length; ) {
                int n = Math.min(in.length - at, r.nextInt(t % 2 == 0 ? 5 : 3000));
                s.write(in, at, n);
                at += n;
            }
            int zLen = s.finish();
            assertArrayEquals(expected, Arrays.copyOf(z, zLen), "input " + t + " of " + in.length + " bytes");
            assertArrayEquals(in, inflate(z, zLen, in.length));
        }
    }

    /** The reference: literal, then the maximal run after it as matches of up to 258 bytes, then literals. */
    private static byte[] oneShot(byte[] in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long[] acc = {0, 0}; // bits, count
        java.util.function.BiConsumer<Long, Integer> put = (bits, n) -> {
            acc[0] |= bits << acc[1];
            acc[1] += n;
            while (acc[1] >= 8) {
                out.write((int) acc[0] & 0xff);
                acc[0] >>>= 8;
                acc[1] -= 8;
            }
        };
        out.write(0x78);
        out.write(0x01);
        put.accept(0b011L, 3);
        for (int i = 0; i < in.length; ) {
            int b = in[i] & 0xff;
            literal(put, b);
            int j = i + 1;
            while (j < in.length && in[j] == in[i]) {
                j++;
            }
            int run = j - i - 1;
            while (run >= 3) {
                int n = Math.min(run, 258);
                match(put, n);
                run -= n;
            }
            for (; run > 0; run--) {
                literal(put, b);
            }
            i = j;
        }
        put.accept(0L, 7); // end of block: 7-bit code 0
        if (acc[1] > 0) {
            out.write((int) acc[0] & 0xff);
        }
        java.util.zip.Adler32 a = new java.util.zip.Adler32();
        a.update(in);
        int v = (int) a.getValue();
        out.write(v >>> 24);
        out.write(v >>> 16 & 0xff);
        out.write(v >>> 8 & 0xff);
        out.write(v & 0xff);
        return out.toByteArray();
    }

    /** RFC 1951 fixed code of literal b, written most significant bit first (Huffman codes are packed reversed). */
    private static void literal(java.util.function.BiConsumer<Long, Integer> put, int b) {
        if (b < 144) {
            huffman(put, 0x30 + b, 8);
        } else {
            huffman(put, 0x190 + b - 144, 9);
        }
    }

    /** A match of length n (3..258) at distance 1: length symbol, its extra bits, distance code 0 (5 bits). */
    private static void match(java.util.function.BiConsumer<Long, Integer> put, int n) {
        int[] base = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
            163, 195, 227, 258};
        int[] extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
        int k = base.length - 1;
        while (base[k] > n) {
            k--;
        }
        int sym = 257 + k;
        if (sym < 280) {
            huffman(put, sym - 256, 7);
        } else {
            huffman(put, 0xc0 + sym - 280, 8);
        }
        put.accept((long) (n - base[k]), extra[k]);
        huffman(put, 0, 5);
    }

    private static void huffman(java.util.function.BiConsumer<Long, Integer> put, int code, int bits) {
        put.accept((long) (Integer.reverse(code) >>> (32 - bits)), bits);
    }

    @Test
    void levelOneLabelPngsReadBackExactlyThroughLibpng() {
        int w = 301;
        int h = 47;
        int[] labels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                labels[y * w + x] = x < 100 + y ? 7 : y > 30 ? 255 : 21;
            }
        }
        int[] inst = labels.clone();
        inst[5 * w + 250] = 26003;
        byte[] png8 = PngEncoder.gray(w, h, labels, false, PngEncoder.LABEL_RUN_LENGTH_LEVEL, PngEncoder.Filter.UP,
                Map.of());
        byte[] png16 = PngEncoder.gray(w, h, inst, true, PngEncoder.LABEL_RUN_LENGTH_LEVEL, PngEncoder.Filter.UP,
                Map.of());
        OpenCv.ensureLoaded();
        for (Object[] c : new Object[][] {{png8, labels}, {png16, inst}}) {
            Mat m = Imgcodecs.imdecode(new MatOfByte((byte[]) c[0]), Imgcodecs.IMREAD_UNCHANGED);
            try {
                assertArrayEquals((int[]) c[1], Mats.toLabel(m).data());
            } finally {
                m.release();
            }
        }
        // runs make the label map small: well under a byte per 30 pixels here
        assertTrue(png8.length < w * h / 30, "size " + png8.length);
    }
}
