package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.commons.imaging.ImageInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir
    Path dir;

    private static LabelMap randomLabel(int w, int h, int bound, long seed) {
        Random r = new Random(seed);
        int[] d = new int[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(bound);
        }
        return new LabelMap(w, h, d);
    }

    @Test
    void eightBitGrayLabelsRoundTripExactly() {
        LabelMap lab = randomLabel(37, 23, 256, 1);
        Path f = dir.resolve("l8.png");
        Images.writePng(f, lab, 1, Map.of());
        assertEquals(lab, Images.readLabel(f));
        assertEquals(8, Images.info(f).getBitsPerPixel());
    }

    @Test
    void sixteenBitLabelsRoundTripExactly() {
        LabelMap lab = randomLabel(31, 17, 65536, 2);
        Path f = dir.resolve("l16.png");
        Images.writePng(f, lab, 6, Map.of());
        assertEquals(lab, Images.readLabel(f));
        // instanceIds are 16-bit even when values are small
        LabelMap small = randomLabel(5, 4, 40, 3);
        Path g = dir.resolve("small16.png");
        io.roadneg.datasets.io.AtomicFiles.write(g, Images.encodePng16(small, 1, Map.of()));
        assertEquals(16, Images.info(g).getBitsPerPixel());
        assertEquals(small, Images.readLabel(g));
    }

    @Test
    void eightBitLabelsReadCompactAreStoredAsBytesAndOthersAsReadLabelReadsThem() throws Exception {
        LabelMap lab = randomLabel(37, 23, 256, 11);
        Path f = written(lab, "c8.png", false);
        LabelMap compact = Images.readLabelCompact(f, null);
        assertTrue(compact.bytes() != null, "an 8-bit gray PNG is read as bytes");
        assertEquals(Images.readLabel(f), compact);
        // decoded into the buffer given when it has the map's size, into a new one when not
        byte[] into = new byte[37 * 23];
        assertTrue(Images.readLabelCompact(f, into).bytes() == into);
        assertTrue(Images.readLabelCompact(f, new byte[5]).bytes().length == 37 * 23);
        // written again from its bytes: the same file as from ints
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(written(compact, "c8-again.png", false)));
        // a 16-bit file: its 16-bit samples
        LabelMap wide = randomLabel(31, 17, 65536, 12);
        Path g = written(wide, "c16.png", false);
        LabelMap w16 = Images.readLabelCompact(g, into);
        assertEquals(null, w16.bytes());
        assertEquals(2 * 31 * 17, w16.bytes16().length, "a 16-bit gray PNG is read as its 16-bit samples");
        assertEquals(wide, w16);
        assertArrayEquals(Files.readAllBytes(g), Files.readAllBytes(written(w16, "c16-again.png", false)));
        // instance ids: 16-bit whatever their values, from the samples as from ints
        LabelMap small = randomLabel(9, 5, 40, 13);
        Path s16 = written(small, "s16.png", true);
        LabelMap smallRead = Images.readLabelCompact(s16, null);
        assertTrue(smallRead.bytes16() != null);
        assertArrayEquals(Files.readAllBytes(s16), Files.readAllBytes(written(smallRead, "s16-again.png", true)));
        assertArrayEquals(Images.encodePng16(small, 1, Map.of()), Images.encodePng16(smallRead, 1, Map.of()));
        byte[] pal = new byte[256];
        IndexColorModel cm = new IndexColorModel(8, 256, pal, pal, pal);
        BufferedImage img = new BufferedImage(9, 7, BufferedImage.TYPE_BYTE_INDEXED, cm);
        img.getRaster().setSample(3, 2, 0, 200);
        Path p = dir.resolve("cpal.png");
        ImageIO.write(img, "png", p.toFile());
        assertEquals(Images.readLabel(p), Images.readLabelCompact(p, null));
        assertEquals(200, Images.readLabelCompact(p, null).get(3, 2));
    }

    /** {@code m} written to {@code name} in the test folder (as 16-bit gray with {@code sixteen}). */
    private Path written(LabelMap m, String name, boolean sixteen) {
        Path f = dir.resolve(name);
        if (sixteen) {
            Images.writePng16(f, m, 1, Map.of());
        } else {
            Images.writePng(f, m, 1, Map.of());
        }
        return f;
    }

    /**
     * The frame readers read into an array the thread keeps: a file read after a larger one leaves the larger one's
     * bytes behind its end, which must never be taken for the smaller file's (its end, its chunks).
     */
    @Test
    void framesReadIntoTheThreadsArrayAreDecodedFromTheirOwnBytesOnly() throws Exception {
        Random r = new Random(3);
        RgbImage big = RgbImage.blank(64, 48);
        r.nextBytes(big.data());
        RgbImage small = RgbImage.blank(20, 10);
        r.nextBytes(small.data());
        Path bigFile = dir.resolve("big.png");
        Path smallFile = dir.resolve("small.png");
        Images.writePng(bigFile, big, 1, Map.of());
        Images.writePng(smallFile, small, 6, PngEncoder.Codec.ZLIB, Map.of());
        LabelMap bigLab = randomLabel(64, 48, 256, 5);
        LabelMap smallLab = randomLabel(20, 10, 256, 6);
        Path bigLabFile = dir.resolve("big_lab.png");
        Path smallLabFile = dir.resolve("small_lab.png");
        Images.writePng(bigLabFile, bigLab, 1, Map.of());
        Images.writePng(smallLabFile, smallLab, 1, Map.of());
        for (int round = 0; round < 2; round++) {
            assertArrayEquals(big.data(), Images.readRgb(bigFile, null).data());
            assertArrayEquals(small.data(), Images.readRgb(smallFile, null).data(), "after a larger file");
            assertEquals(bigLab, Images.readLabelCompact(bigLabFile, null));
            assertEquals(smallLab, Images.readLabelCompact(smallLabFile, null), "after a larger file");
        }
        // a small file cut before its IEND, read after the big one (whose IEND lies behind the cut): refused as
        // the plain reader refuses it
        byte[] whole = Files.readAllBytes(smallFile);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 12));
        Images.readRgb(bigFile, null);
        InputException e = assertThrows(InputException.class, () -> Images.readRgb(cut, null));
        assertTrue(e.getMessage().contains("truncated PNG"), e.getMessage());
        Images.readLabelCompact(bigLabFile, null);
        byte[] lab = Files.readAllBytes(smallLabFile);
        Files.write(cut, Arrays.copyOf(lab, lab.length - 12));
        e = assertThrows(InputException.class, () -> Images.readLabelCompact(cut, null));
        assertTrue(e.getMessage().contains("truncated PNG"), e.getMessage());
        // damaged image data behind intact chunk framing: the same refusal as the plain decoder's
        byte[] bad = whole.clone();
        int idat = 33 + 8; // the IDAT chunk's data follows IHDR (33 bytes) and its own length and type
        for (int i = idat + 2; i < idat + 20 && i < bad.length - 16; i++) {
            bad[i] = (byte) ~bad[i];
        }
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        int len = (bad[33] & 0xff) << 24 | (bad[34] & 0xff) << 16 | (bad[35] & 0xff) << 8 | (bad[36] & 0xff);
        c.update(bad, 37, 4 + len);
        int crc = (int) c.getValue();
        bad[41 + len] = (byte) (crc >>> 24);
        bad[42 + len] = (byte) (crc >>> 16);
        bad[43 + len] = (byte) (crc >>> 8);
        bad[44 + len] = (byte) crc;
        Files.write(cut, bad);
        Images.readRgb(bigFile, null);
        String plain = assertThrows(InputException.class, () -> Images.decodeRgb(bad, cut)).getMessage();
        assertEquals(plain, assertThrows(InputException.class, () -> Images.readRgb(cut, null)).getMessage());
    }

    @Test
    void aMapStoredAsBytesHasTheValuesEqualityAndHashOfTheSameInts() {
        byte[] b = {0, 1, (byte) 200, (byte) 255, 7, 7};
        int[] ints = {0, 1, 200, 255, 7, 7};
        LabelMap bytes = LabelMap.ofBytes(3, 2, b);
        LabelMap same = new LabelMap(3, 2, ints.clone());
        assertEquals(same, bytes);
        assertEquals(bytes, same);
        assertEquals(same.hashCode(), bytes.hashCode());
        assertEquals(255, bytes.max());
        assertEquals(0, bytes.min());
        assertEquals(200, bytes.get(2, 0));
        assertEquals(new LabelMap(3, 2, new int[] {5, 6, 205, 260, 12, 12}), bytes.mapped(lutPlus(5)));
        // a copy is stored as bytes too and shares nothing
        LabelMap copy = bytes.copy();
        assertTrue(copy.bytes() != null && copy.bytes() != b);
        // set: a byte value in place; a value over 255 widens the map to ints first
        bytes.set(1, 1, 254);
        assertEquals((byte) 254, b[4]);
        bytes.set(0, 1, 300);
        assertEquals(null, bytes.bytes());
        assertArrayEquals(new int[] {0, 1, 200, 300, 254, 7}, bytes.data());
        // data() widens once: the map is ints from then on, the same values
        LabelMap widened = LabelMap.ofBytes(3, 2, b.clone());
        int[] d = widened.data();
        assertEquals(null, widened.bytes());
        assertTrue(widened.data() == d);
        assertEquals(copy.get(0, 0), widened.get(0, 0));
        assertThrows(IllegalArgumentException.class, () -> LabelMap.ofBytes(4, 2, b));
        // 16-bit samples, most significant byte first
        byte[] b16 = {0, 1, 1, 0, (byte) 255, (byte) 255, 0, 0};
        LabelMap wide = LabelMap.ofBytes16(2, 2, b16);
        LabelMap wideInts = new LabelMap(2, 2, new int[] {1, 256, 65535, 0});
        assertEquals(wideInts, wide);
        assertEquals(wide, wideInts);
        assertEquals(wideInts.hashCode(), wide.hashCode());
        assertEquals(65535, wide.max());
        assertEquals(256, wide.get(1, 0));
        wide.set(1, 1, 513);
        assertEquals(2, b16[6]);
        assertEquals(1, b16[7]);
        assertTrue(wide.copy().bytes16() != null);
        wide.set(0, 0, 70000); // beyond 16 bits: widened to ints
        assertEquals(null, wide.bytes16());
        assertArrayEquals(new int[] {70000, 256, 65535, 513}, wide.data());
        assertThrows(IllegalArgumentException.class, () -> LabelMap.ofBytes16(2, 2, new byte[7]));
    }

    private static int[] lutPlus(int k) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i + k;
        }
        return lut;
    }

    @Test
    void paletteLabelsKeepTheirIndices() throws Exception {
        byte[] pal = new byte[256];
        for (int i = 0; i < 256; i++) {
            pal[i] = (byte) (255 - i);
        }
        IndexColorModel cm = new IndexColorModel(8, 256, pal, pal, pal);
        BufferedImage img = new BufferedImage(9, 7, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster r = img.getRaster();
        LabelMap expect = randomLabel(9, 7, 256, 4);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 9; x++) {
                r.setSample(x, y, 0, expect.get(x, y));
            }
        }
        Path f = dir.resolve("pal.png");
        ImageIO.write(img, "png", f.toFile());
        assertEquals(expect, Images.readLabel(f));
    }

    @Test
    void rgbPngAndJpegDecode() {
        RgbImage img = new RgbImage(16, 8, new byte[16 * 8 * 3]);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = (byte) (i * 7);
        }
        Path f = dir.resolve("rgb.png");
        Images.writePng(f, img, 1, Map.of());
        assertEquals(img, Images.readRgb(f));
        RgbImage red = RgbImage.blank(16, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                red.setRgb(x, y, 0xff0000);
            }
        }
        RgbImage back = Images.decodeRgb(Images.encodeJpeg(red, 95), Path.of("x.jpg"));
        assertTrue(back.get(5, 5, 0) > 240 && back.get(5, 5, 1) < 15, "JPEG keeps the colour order RGB");
    }

    @Test
    void webpDecodes() {
        RgbImage img = RgbImage.blank(12, 10);
        img.setRgb(3, 4, 0x12ab34);
        byte[] webp = Images.encodeWebp(img);
        assertEquals(ImageFormat.WEBP, ImageFormat.sniff(webp));
        RgbImage back = Images.decodeRgb(webp, Path.of("x.webp"));
        assertEquals(img, back, "lossless WebP round-trips exactly");
    }

    @Test
    void provenanceTextChunksAreReadableByCommonsImaging() {
        LabelMap lab = randomLabel(8, 8, 255, 5);
        Path f = dir.resolve("prov.png");
        Images.writePng(f, lab, 1, Map.of("roadneg:provenance", "{\"seed\":7,\"src\":\"coco:123 – ü\"}"));
        assertEquals(Map.of("roadneg:provenance", "{\"seed\":7,\"src\":\"coco:123 – ü\"}"), Images.readPngText(f));
        assertEquals(lab, Images.readLabel(f), "text chunks do not disturb the pixels");
        ImageInfo info = Images.info(f);
        assertEquals(8, info.getWidth());
    }

    @Test
    void truncatedAndForeignFilesGiveInputErrors() throws Exception {
        Path f = dir.resolve("t.png");
        Images.writePng(f, randomLabel(64, 64, 255, 6), 1, Map.of());
        byte[] b = Files.readAllBytes(f);
        Path t = dir.resolve("trunc.png");
        Files.write(t, Arrays.copyOf(b, b.length / 2));
        InputException e = assertThrows(InputException.class, () -> Images.readLabel(t));
        assertTrue(e.getMessage().startsWith(t + ": truncated PNG"), e.getMessage());
        Path j = dir.resolve("trunc.jpg");
        byte[] jpg = Images.encodeJpeg(RgbImage.blank(32, 32), 90);
        Files.write(j, Arrays.copyOf(jpg, jpg.length - 40));
        assertThrows(InputException.class, () -> Images.readRgb(j));
        Path txt = dir.resolve("x.png");
        Files.writeString(txt, "hello");
        assertThrows(InputException.class, () -> Images.readRgb(txt));
        InputException missing = assertThrows(InputException.class, () -> Images.readRgb(dir.resolve("nope.png")));
        assertEquals(dir.resolve("nope.png") + ": file not found", missing.getMessage());
        Path rgb = dir.resolve("rgb.png");
        Images.writePng(rgb, RgbImage.blank(4, 4), 1, Map.of());
        InputException colour = assertThrows(InputException.class, () -> Images.readLabel(rgb));
        assertTrue(colour.getMessage().contains("colorType = 2"), colour.getMessage());
    }

    @Test
    void packedRgbReadsPanopticStyleIds() {
        RgbImage img = RgbImage.blank(3, 1);
        img.setRgb(0, 0, 0x010203);
        img.setRgb(2, 0, 0xfffefd);
        Path f = dir.resolve("pan.png");
        Images.writePng(f, img, 1, Map.of());
        assertArrayEquals(new int[] {0x010203, 0, 0xfffefd}, Images.readPackedRgb(f).data());
    }
}
