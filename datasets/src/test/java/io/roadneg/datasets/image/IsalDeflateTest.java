package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * ISA-L's igzip as the level-1 deflate of RGB PNGs: complete zlib streams that the JDK's zlib inflates (Adler-32
 * checked) to the input, PNGs that javax.imageio, our decoder and OpenCV's libpng read back to the same pixels, the
 * same bytes on every call and thread, and zlib where it is asked for.
 */
class IsalDeflateTest {
    private static boolean x86Linux() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    @Test
    void loadsOnLinuxX86() {
        // GKL ships a Linux x86_64 library: there the fast path must load, or level-1 writing silently slows down
        assumeTrue(x86Linux() && System.getenv("ROADNEG_NO_ISAL") == null);
        assertTrue(IsalDeflate.available(), IsalDeflate.status());
        assertTrue(PngEncoder.isalStatus().startsWith("ISA-L igzip"), PngEncoder.isalStatus());
    }

    private static byte[] inflate(byte[] z, int len, int expected) throws DataFormatException {
        Inflater inf = new Inflater(); // zlib wrapper: checks the header and the Adler-32
        try {
            inf.setInput(z, 0, len);
            byte[] out = new byte[expected + 16];
            int n = 0;
            while (!inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            assertTrue(inf.finished(), "stream not finished");
            assertEquals(0, inf.getRemaining(), "bytes after the stream");
            return java.util.Arrays.copyOf(out, n);
        } finally {
            inf.end();
        }
    }

    private static List<byte[]> inputs() {
        Random r = new Random(7);
        List<byte[]> in = new ArrayList<>();
        in.add(new byte[0]);
        in.add(new byte[] {42});
        byte[] noise = new byte[300_001];
        r.nextBytes(noise); // incompressible: stored or near-stored blocks
        in.add(noise);
        byte[] runs = new byte[1 << 20];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = (byte) ((i / 5000) % 3);
        }
        in.add(runs);
        byte[] mixed = new byte[2_000_003]; // a photograph-like mix of repeats, gradients and noise
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (byte) (i % 11 == 0 ? r.nextInt(256) : (i / 97) % 251 + (i % 3));
        }
        in.add(mixed);
        return in;
    }

    @Test
    void zlibInflatesEveryStreamBackToItsInput() throws DataFormatException {
        assumeTrue(IsalDeflate.available(), IsalDeflate.status());
        for (byte[] raw : inputs()) {
            byte[] z = new byte[IsalDeflate.bound(raw.length)];
            int n = IsalDeflate.compress(raw, raw.length, z);
            assertEquals(0x78, z[0] & 0xff);
            assertEquals(0, ((z[0] & 0xff) << 8 | (z[1] & 0xff)) % 31, "zlib header check bits");
            assertArrayEquals(raw, inflate(z, n, raw.length), "length " + raw.length);
            // the input may be the first part of a larger reused buffer
            byte[] padded = java.util.Arrays.copyOf(raw, raw.length + 1000);
            byte[] z2 = new byte[IsalDeflate.bound(padded.length)];
            int n2 = IsalDeflate.compress(padded, raw.length, z2);
            assertArrayEquals(java.util.Arrays.copyOf(z, n), java.util.Arrays.copyOf(z2, n2), "same bytes");
        }
    }

    @Test
    void pngsReadBackExactlyEverywhereAndDoNotDependOnTheThread() throws Exception {
        assumeTrue(IsalDeflate.available(), IsalDeflate.status());
        int w = 301;
        int h = 157;
        Random r = new Random(3);
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 5 == 0 ? r.nextInt(256) : (i / 3 % w + i / (3 * w)) & 0xff);
        }
        byte[] png = PngEncoder.rgb(w, h, px, 1, PngEncoder.Codec.ISAL, PngEncoder.Filter.UP, Map.of("k", "v"));
        byte[] zlib = PngEncoder.rgb(w, h, px, 1, PngEncoder.Codec.ZLIB, PngEncoder.Filter.UP, Map.of("k", "v"));
        assertFalse(java.util.Arrays.equals(png, zlib), "ISAL must not be zlib where igzip loads");
        // the default of the short overloads is ISAL
        assertArrayEquals(png, PngEncoder.rgb(w, h, px, 1, PngEncoder.Filter.UP, Map.of("k", "v")));
        // other levels are zlib whatever the codec
        assertArrayEquals(PngEncoder.rgb(w, h, px, 6, PngEncoder.Codec.ZLIB, PngEncoder.Filter.UP, Map.of()),
                PngEncoder.rgb(w, h, px, 6, PngEncoder.Codec.ISAL, PngEncoder.Filter.UP, Map.of()));

        BufferedImage b = ImageIO.read(new ByteArrayInputStream(png));
        Raster ras = b.getRaster();
        RgbImage ours = Images.decodeRgb(png, java.nio.file.Path.of("isal.png"));
        assertArrayEquals(px, ours.data(), "our decoder");
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = (y * w + x) * 3 + c;
                    if ((px[i] & 0xff) != ras.getSample(x, y, c)) {
                        throw new AssertionError("javax.imageio differs at " + x + "," + y + "," + c);
                    }
                }
            }
        }
        OpenCv.ensureLoaded();
        org.opencv.core.Mat m = org.opencv.imgcodecs.Imgcodecs.imdecode(new org.opencv.core.MatOfByte(png),
                org.opencv.imgcodecs.Imgcodecs.IMREAD_UNCHANGED);
        try {
            assertArrayEquals(px, Mats.toRgb(m).data(), "OpenCV's libpng");
        } finally {
            m.release();
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> again = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                again.add(pool.submit(() -> PngEncoder.rgb(w, h, px, 1, PngEncoder.Codec.ISAL,
                        PngEncoder.Filter.UP, Map.of("k", "v"))));
            }
            for (Future<byte[]> f : again) {
                assertArrayEquals(png, f.get(), "same bytes on every thread");
            }
        } finally {
            pool.shutdown();
        }
        assertNotEquals(0, png.length);
    }

    @Test
    void theOutputBoundNeverOverflows() {
        assertTrue(IsalDeflate.fits(16384 * 8192 * 3 + 8192)); // the largest frame ImageLimits lets through
        assertFalse(IsalDeflate.fits(Integer.MAX_VALUE - 100)); // left to zlib instead of an overflowed bound
        assertEquals(1000 + 125 + 65536 + 6, IsalDeflate.bound(1000));
    }

    @Test
    void statusSaysWhichDeflateWritesLevelOne() throws IOException {
        String s = PngEncoder.isalStatus();
        assertTrue(s.startsWith("ISA-L igzip") || s.startsWith("zlib (ISA-L not used: "), s);
        assertEquals(IsalDeflate.available(), s.startsWith("ISA-L"));
    }
}
