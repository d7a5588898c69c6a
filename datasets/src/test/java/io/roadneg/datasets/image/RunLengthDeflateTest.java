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
