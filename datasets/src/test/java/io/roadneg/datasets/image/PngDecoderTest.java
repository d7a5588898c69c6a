package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The JDK-zlib PNG decoder against independent writers and decoders: files written by javax.imageio (which picks
 * among all five row filters, so Average and Paeth are exercised) and by OpenCV's libpng, decoded to the same values;
 * corrupt files refused with the file named.
 */
class PngDecoderTest {
    private static final Path FILE = Path.of("x.png");

    private static byte[] imageIo(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    /** Smooth gradients with noise: the kind of rows on which an adaptive writer uses Average and Paeth. */
    private static BufferedImage rgbImage(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 5 + y * 3 + r.nextInt(9)) & 0xff;
                int green = (x * y / 7 + r.nextInt(5)) & 0xff;
                int blue = (255 - x * 2 + r.nextInt(3)) & 0xff;
                img.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        return img;
    }

    @Test
    void rgbFromAnAdaptiveWriterDecodesToTheSamePixels() throws IOException {
        BufferedImage img = rgbImage(67, 23, 3);
        byte[] png = imageIo(img);
        PngHeader h = PngHeader.parse(png, FILE);
        assertTrue(PngDecoder.supports(png, h));
        RgbImage got = PngDecoder.rgb(png, h, FILE, null);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 67; x++) {
                assertEquals(img.getRGB(x, y) & 0xffffff, got.rgb(x, y), "pixel " + x + "," + y);
            }
        }
        // and the same as OpenCV's libpng reads it
        OpenCv.ensureLoaded();
        Mat m = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_COLOR);
        try {
            assertArrayEquals(Mats.toRgb(m).data(), got.data());
        } finally {
            m.release();
        }
    }

    @Test
    void grayLabelsKeepTheirValuesIn8And16Bit() throws IOException {
        int w = 41;
        int h = 17;
        Random r = new Random(5);
        BufferedImage g8 = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] d8 = ((DataBufferByte) g8.getRaster().getDataBuffer()).getData();
        BufferedImage g16 = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        short[] d16 = ((DataBufferUShort) g16.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            d8[i] = (byte) (i / 50 % 3 == 0 ? 255 : (i % w) / 8 + r.nextInt(2));
            d16[i] = (short) (i / 60 % 2 == 0 ? 26001 + (i % w) / 10 : r.nextInt(65536));
        }
        LabelMap l8 = PngDecoder.gray(imageIo(g8), PngHeader.parse(imageIo(g8), FILE), FILE, null);
        int[] reused = new int[w * h];
        java.util.Arrays.fill(reused, -1); // a worker's buffer still holding the previous frame
        LabelMap l16 = PngDecoder.gray(imageIo(g16), PngHeader.parse(imageIo(g16), FILE), FILE, reused);
        assertTrue(l16.data() == reused, "decoded into the given buffer");
        for (int i = 0; i < w * h; i++) {
            assertEquals(d8[i] & 0xff, l8.data()[i], "8-bit pixel " + i);
            assertEquals(d16[i] & 0xffff, l16.data()[i], "16-bit pixel " + i);
        }
    }

    @Test
    void ourOwnEncoderRoundTripsThroughItForEveryFilterAndLevel() {
        int w = 29;
        int h = 13;
        int[] labels = new int[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % w < 10 ? 7 : i % 11 == 0 ? 300 + i : 24;
        }
        for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
            for (int level : new int[] {0, 1, 6}) {
                for (boolean sixteen : new boolean[] {false, true}) {
                    int[] v = sixteen ? labels : java.util.Arrays.stream(labels).map(x -> x & 0xff).toArray();
                    byte[] png = PngEncoder.gray(w, h, v, sixteen, level, f, Map.of("k", "v"));
                    assertArrayEquals(v, Images.decodeLabel(png, FILE).data(), f + " level " + level);
                }
            }
        }
    }

    @Test
    void theEightBytesAtATimeUpFilterEqualsTheBytewiseSum() {
        Random r = new Random(17);
        for (int t = 0; t < 200; t++) {
            int stride = r.nextInt(70);
            byte[] b = new byte[2 * stride + 20];
            r.nextBytes(b);
            int prev = r.nextInt(5);
            int row = prev + stride + r.nextInt(5);
            byte[] expected = b.clone();
            for (int i = 0; i < stride; i++) {
                expected[row + i] = (byte) (expected[row + i] + expected[prev + i]);
            }
            ByteLanes.addUp(b, row, prev, stride);
            assertArrayEquals(expected, b, "stride " + stride + " rows at " + prev + ", " + row);
        }
    }

    @Test
    void thePaethPredictorWithoutBranchesIsTheSpecsForEveryTriple() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 256; c++) {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    int expected = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    if (PngDecoder.paeth(a, b, c) != expected) {
                        assertEquals(expected, PngDecoder.paeth(a, b, c), "a=" + a + " b=" + b + " c=" + c);
                    }
                }
            }
        }
    }

    /** Every filter type on RGB, gray and 16-bit rows, first rows included, against the spec byte by byte. */
    @Test
    void everyRowFilterIsReversedAsTheSpecSays() {
        Random r = new Random(31);
        for (int t = 0; t < 300; t++) {
            int bpp = new int[] {1, 2, 3}[t % 3];
            int stride = bpp * (1 + r.nextInt(40));
            byte type = (byte) (t / 3 % 5);
            boolean first = t % 7 == 0;
            byte[] b = new byte[2 * stride + 8];
            r.nextBytes(b);
            int prev = first ? -1 : 3;
            int row = 3 + stride + r.nextInt(3);
            byte[] expected = b.clone();
            for (int i = 0; i < stride; i++) {
                int a = i >= bpp ? expected[row + i - bpp] & 0xff : 0;
                int up = prev >= 0 ? expected[prev + i] & 0xff : 0;
                int c = i >= bpp && prev >= 0 ? expected[prev + i - bpp] & 0xff : 0;
                int p = a + up - c;
                int pred = switch (type) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> up;
                    case 3 -> (a + up) >>> 1;
                    default -> Math.abs(p - a) <= Math.abs(p - up) && Math.abs(p - a) <= Math.abs(p - c) ? a
                            : Math.abs(p - up) <= Math.abs(p - c) ? up : c;
                };
                expected[row + i] = (byte) (expected[row + i] + pred);
            }
            PngDecoder.unfilter(type, b, row, prev, stride, bpp, FILE);
            assertArrayEquals(expected, b, "filter " + type + ", " + bpp + " bytes a pixel, stride " + stride
                    + (first ? ", first row" : ""));
        }
    }

    @Test
    void otherKindsAreLeftToTheGeneralDecoders() throws IOException {
        BufferedImage rgba = new BufferedImage(5, 4, BufferedImage.TYPE_4BYTE_ABGR);
        byte[] png = imageIo(rgba);
        assertFalse(PngDecoder.supports(png, PngHeader.parse(png, FILE)));
        BufferedImage palette = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_INDEXED);
        byte[] p = imageIo(palette);
        assertFalse(PngDecoder.supports(p, PngHeader.parse(p, FILE)));
        // interlaced: flip the IHDR interlace byte (the CRC no longer matches, but supports() looks only at the kind)
        byte[] gray = PngEncoder.gray(4, 4, new int[16], false, 1, PngEncoder.Filter.UP, Map.of());
        gray[28] = 1;
        assertFalse(PngDecoder.supports(gray, PngHeader.parse(gray, FILE)));
    }

    @Test
    void corruptFilesAreRefusedNamingTheFile() {
        int[] v = new int[64 * 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 13;
        }
        byte[] good = PngEncoder.gray(64, 8, v, false, 6, PngEncoder.Filter.UP, Map.of());
        int idat = indexOf(good, "IDAT");
        // a flipped bit in the image data: the IDAT CRC catches it
        byte[] flipped = good.clone();
        flipped[idat + 6] ^= 0x10;
        InputException crc = assertThrows(InputException.class, () -> Images.decodeLabel(flipped, FILE));
        assertTrue(crc.getMessage().contains("x.png") && crc.getMessage().contains("CRC"), crc.getMessage());
        // the image data cut short (IDAT length and CRC made consistent): fewer rows than the header says
        int len = PngHeader.readInt(good, idat - 4);
        byte[] cut = java.util.Arrays.copyOfRange(good, 0, idat + 4 + len / 3);
        putInt(cut, idat - 4, len / 3);
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(cut, idat, 4 + len / 3);
        byte[] end = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};
        putInt(end, 0, (int) c.getValue());
        byte[] truncated = new byte[cut.length + end.length];
        System.arraycopy(cut, 0, truncated, 0, cut.length);
        System.arraycopy(end, 0, truncated, cut.length, end.length);
        InputException t = assertThrows(InputException.class, () -> Images.decodeLabel(truncated, FILE));
        assertTrue(t.getMessage().contains("x.png") && t.getMessage().contains("ends early"), t.getMessage());
        // a chunk length that runs past the end of the file
        byte[] longChunk = good.clone();
        putInt(longChunk, idat - 4, 1 << 30);
        InputException l = assertThrows(InputException.class, () -> Images.decodeLabel(longChunk, FILE));
        assertTrue(l.getMessage().contains("runs past the end"), l.getMessage());
    }

    @Test
    void aHeaderDeclaringMoreThanItsDataCanHoldIsRefusedBeforeAllocating() {
        // 9000x9000 gray (81 M pixels, within the default limit) over the 12-byte stream of a 4x4 map: deflate
        // expands at most 1032:1, so no allocation of the declared size is attempted
        byte[] png = PngEncoder.gray(4, 4, new int[16], false, 1, PngEncoder.Filter.UP, Map.of());
        putInt(png, 16, 9000);
        putInt(png, 20, 9000);
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(png, 12, 17);
        putInt(png, 29, (int) c.getValue());
        for (boolean isal : new boolean[] {false, true}) {
            InputException e = assertThrows(InputException.class,
                    () -> PngDecoder.gray(png, PngHeader.parse(png, FILE), FILE, null, isal));
            assertTrue(e.getMessage().contains("x.png") && e.getMessage().contains("cannot hold a 9000x9000 image"),
                    e.getMessage());
        }
        assertThrows(InputException.class, () -> Images.decodeLabel(png, FILE));
    }

    @Test
    void anUnknownRowFilterIsRefused() {
        // level 0 stores the filtered rows uncompressed: the first row's filter byte follows the zlib and block headers
        byte[] png = PngEncoder.gray(8, 2, new int[16], false, 0, PngEncoder.Filter.NONE, Map.of());
        int idat = indexOf(png, "IDAT");
        int len = PngHeader.readInt(png, idat - 4);
        png[idat + 4 + 2 + 5] = 9; // zlib header (2), stored block header (5), then the filter byte
        // the zlib trailer made to match: only the filter is wrong
        java.util.zip.Adler32 a = new java.util.zip.Adler32();
        a.update(png, idat + 4 + 2 + 5, 18);
        putInt(png, idat + 4 + len - 4, (int) a.getValue());
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(png, idat, 4 + len);
        putInt(png, idat + 4 + len, (int) c.getValue());
        InputException e = assertThrows(InputException.class, () -> Images.decodeLabel(png, FILE));
        assertTrue(e.getMessage().contains("filter"), e.getMessage());
    }

    /**
     * ISA-L's inflate against the JDK's on hostile streams: valid files of every kind this project reads (dynamic
     * Huffman from javax.imageio and zlib, fixed Huffman from the run-length writer, igzip's own, stored blocks), their
     * IDAT data spread over several chunks, then bits flipped, bytes replaced, cut short or inserted, and the IDAT CRCs
     * made to match again so the damage reaches the inflater. Both must refuse the same files with an
     * InputException, and decode the files both accept to the same values, with one exception kept rare: damage
     * after the image's last byte (a lost final-block bit, bytes inserted before the trailer), which zlib refuses and
     * the fast path keeps when the image's bytes are the original's. {@code -Droadneg.fuzzRounds=N} runs a longer
     * campaign.
     */
    @Test
    void isalAndJdkInflatersAgreeOnMutatedStreams() throws IOException {
        isalAndJdkInflatersAgreeOnMutatedStreams(false);
    }

    /** The same with the trailer summed eight bytes a step, as in a JVM with the quick compiler only. */
    @Test
    void isalAndJdkInflatersAgreeOnMutatedStreamsWithTheJavaAdler32() throws IOException {
        boolean was = ZlibAdler.useSwar(true);
        try {
            isalAndJdkInflatersAgreeOnMutatedStreams(true);
        } finally {
            ZlibAdler.useSwar(was);
        }
    }

    private void isalAndJdkInflatersAgreeOnMutatedStreams(boolean swar) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(IsalInflate.available(), "ISA-L not loaded here");
        int rounds = Integer.getInteger("roadneg.fuzzRounds", 300);
        int w = 61;
        int h = 19;
        int[] labels = new int[w * h];
        Random r = new Random(11);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i % w) / 9 + (i / w) / 5 * 3 + (r.nextInt(40) == 0 ? 200 : 0);
        }
        byte[] photo = new byte[w * h * 3];
        for (int i = 0; i < photo.length; i++) {
            photo[i] = (byte) (i / 3 % w * 4 + i / (3 * w) * 2 + r.nextInt(6));
        }
        java.util.List<byte[]> seeds = new java.util.ArrayList<>();
        seeds.add(imageIo(rgbImage(w, h, 9)));
        seeds.add(PngEncoder.rgb(w, h, photo, 1, PngEncoder.Codec.ISAL, PngEncoder.Filter.UP, null));
        seeds.add(PngEncoder.rgb(w, h, photo, 6, PngEncoder.Codec.ZLIB, PngEncoder.Filter.SUB, null));
        seeds.add(PngEncoder.gray(w, h, labels, false, 1, PngEncoder.Filter.UP, null));
        seeds.add(PngEncoder.gray(w, h, labels, true, 6, PngEncoder.Filter.UP, null));
        seeds.add(PngEncoder.gray(w, h, labels, false, 0, PngEncoder.Filter.NONE, null));
        // a larger frame: zlib starts a new dynamic block every few thousand symbols, so damage lands between blocks
        byte[] big = new byte[384 * 40 * 3];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i / 3 % 384 / 3 + i / (3 * 384) * 5 + r.nextInt(24));
        }
        seeds.add(PngEncoder.rgb(384, 40, big, 6, PngEncoder.Codec.ZLIB, PngEncoder.Filter.UP, null));
        int accepted = 0;
        int refused = 0;
        int kept = 0;
        for (int s = 0; s < seeds.size(); s++) {
            for (int k = 0; k < rounds; k++) {
                Random m = new Random(s * 1_000_003L + k);
                byte[] z = idatData(seeds.get(s));
                z = mutate(z, m);
                byte[] png = withIdat(seeds.get(s), z, 1 + m.nextInt(4), m);
                PngHeader hdr = PngHeader.parse(png, FILE);
                boolean rgb = hdr.colorType() == PngHeader.RGB;
                Object jdk = decodeOrError(png, hdr, rgb, false);
                Object isal = decodeOrError(png, hdr, rgb, true);
                String what = "seed " + s + " mutation " + k + (swar ? " (Java Adler-32)" : "");
                if (!rgb) {
                    // the samples path (a paste job's label maps) decides as the widening one does
                    Object samples = samplesOrError(png, hdr);
                    assertEquals(isal instanceof InputException, samples instanceof InputException, what + ": gray "
                            + describe(isal) + ", samples " + describe(samples));
                    if (!(isal instanceof InputException)) {
                        assertArrayEquals((int[]) isal, (int[]) samples, what + ": samples differ");
                    }
                }
                if (jdk instanceof InputException e && !(isal instanceof InputException)) {
                    // the one kind zlib refuses and the fast path keeps: damage after the image's last byte (zlib
                    // parses on to the trailer: a lost final-block bit, bytes before the trailer) while the image's
                    // bytes are intact and match the trailer
                    assertTrue(e.getMessage().contains("corrupt PNG image data"), what + ": JDK " + describe(jdk));
                    Object original = decodeOrError(seeds.get(s), hdr, rgb, false);
                    assertTrue(java.util.Objects.deepEquals(original, isal), what + ": not the original image");
                    kept++;
                } else if (jdk instanceof InputException || isal instanceof InputException) {
                    assertTrue(jdk instanceof InputException && isal instanceof InputException, what + ": JDK "
                            + describe(jdk) + ", ISA-L " + describe(isal));
                    refused++;
                } else {
                    assertTrue(java.util.Objects.deepEquals(jdk, isal), what + ": different values");
                    accepted++;
                }
            }
        }
        assertTrue(accepted > 0 && refused > 0, accepted + " accepted, " + refused + " refused");
        assertTrue(kept <= rounds * seeds.size() / 100, kept + " refused by zlib, kept by ISA-L");
    }

    private static Object decodeOrError(byte[] png, PngHeader h, boolean rgb, boolean isal) {
        try {
            return rgb ? PngDecoder.rgb(png, h, FILE, null, isal).data()
                    : PngDecoder.gray(png, h, FILE, null, isal).data();
        } catch (InputException e) {
            assertTrue(e.getMessage().contains("x.png"), e.getMessage());
            return e;
        }
    }

    /** The samples decode of a gray file by the fast path, widened to ints, or its error. */
    private static Object samplesOrError(byte[] png, PngHeader h) {
        try {
            LabelMap m = PngDecoder.graySamples(png, h, FILE, null, true);
            return m.data();
        } catch (InputException e) {
            return e;
        }
    }

    private static String describe(Object o) {
        return o instanceof InputException e ? "refused (" + e.getMessage() + ")" : "accepted";
    }

    /** One random kind of damage to a zlib stream. */
    private static byte[] mutate(byte[] z, Random m) {
        byte[] out = z.clone();
        switch (m.nextInt(5)) {
            case 0 -> {
                for (int i = 1 + m.nextInt(3); i > 0; i--) {
                    int at = 2 + m.nextInt(out.length - 2);
                    out[at] ^= (byte) (1 << m.nextInt(8));
                }
            }
            case 1 -> out[2 + m.nextInt(out.length - 2)] = (byte) m.nextInt(256);
            case 2 -> out = java.util.Arrays.copyOf(out, 2 + m.nextInt(out.length - 2));
            case 3 -> {
                int at = 2 + m.nextInt(out.length - 2);
                byte[] ins = new byte[1 + m.nextInt(8)];
                m.nextBytes(ins);
                byte[] grown = new byte[out.length + ins.length];
                System.arraycopy(out, 0, grown, 0, at);
                System.arraycopy(ins, 0, grown, at, ins.length);
                System.arraycopy(out, at, grown, at + ins.length, out.length - at);
                out = grown;
            }
            default -> {
                // a whole run of random bytes from a random point: garbage Huffman tables and codes
                int at = 2 + m.nextInt(out.length - 2);
                for (int i = at; i < Math.min(out.length, at + 1 + m.nextInt(64)); i++) {
                    out[i] = (byte) m.nextInt(256);
                }
            }
        }
        return out;
    }

    /** The concatenated data of a PNG's IDAT chunks. */
    private static byte[] idatData(byte[] png) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        for (int at = 8; at + 12 <= png.length; ) {
            int len = PngHeader.readInt(png, at);
            if (png[at + 4] == 'I' && png[at + 5] == 'D') {
                z.write(png, at + 8, len);
            }
            at += len + 12;
        }
        return z.toByteArray();
    }

    /** The PNG with its IDAT chunks replaced by {@code z} split into {@code parts} chunks, CRCs correct. */
    private static byte[] withIdat(byte[] png, byte[] z, int parts, Random m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        int[] cuts = new int[parts + 1];
        cuts[parts] = z.length;
        for (int i = 1; i < parts; i++) {
            cuts[i] = m.nextInt(z.length + 1);
        }
        java.util.Arrays.sort(cuts);
        try {
            for (int i = 0; i < parts; i++) {
                PngEncoder.chunk(out, "IDAT", z, cuts[i], cuts[i + 1] - cuts[i]);
            }
            PngEncoder.chunk(out, "IEND", new byte[0], 0, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, String type) {
        for (int i = 0; i + 4 <= b.length; i++) {
            if (b[i] == type.charAt(0) && b[i + 1] == type.charAt(1) && b[i + 2] == type.charAt(2)
                    && b[i + 3] == type.charAt(3)) {
                return i;
            }
        }
        throw new AssertionError(type);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
