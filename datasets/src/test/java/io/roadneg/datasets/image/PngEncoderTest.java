package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG encoder against independent decoders (javax.imageio for pixels, Commons Imaging for text chunks). */
class PngEncoderTest {
    @TempDir
    Path dir;

    private static Raster decode(byte[] png) throws IOException {
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(png));
        return b.getRaster();
    }

    private static byte[] noisyRgb(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 7 == 0 ? r.nextInt(256) : (i / 3) % 251);
        }
        return px;
    }

    @Test
    void rgbRoundTripsExactlyWithEveryFilter() throws IOException {
        int w = 37;
        int h = 11; // odd sizes: no row or pixel alignment to lean on
        byte[] px = noisyRgb(w, h, 1);
        for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
            Raster r = decode(PngEncoder.rgb(w, h, px, 1, f, Map.of()));
            assertEquals(w, r.getWidth());
            assertEquals(h, r.getHeight());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(px[(y * w + x) * 3 + c] & 0xff, r.getSample(x, y, c), f + " at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void labelsKeepTheirValuesIn8And16Bit() throws IOException {
        int w = 19;
        int h = 7;
        int[] small = new int[w * h];
        int[] wide = new int[w * h];
        for (int i = 0; i < small.length; i++) {
            small[i] = (i * 37) % 256;
            wide[i] = (i * 7919) % 65536;
        }
        for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
            byte[] p8 = PngEncoder.gray(w, h, small, false, 6, f, Map.of());
            assertEquals(8, p8[24], "bit depth in IHDR");
            assertArrayEquals(small, decode(p8).getPixels(0, 0, w, h, (int[]) null));
            // a value above 255 makes the automatic choice 16-bit
            byte[] p16 = PngEncoder.gray(w, h, wide, false, 1, f, Map.of());
            assertEquals(16, p16[24]);
            assertArrayEquals(wide, decode(p16).getPixels(0, 0, w, h, (int[]) null));
            // forced 16-bit keeps small values
            assertArrayEquals(small, decode(PngEncoder.gray(w, h, small, true, 1, f, Map.of()))
                    .getPixels(0, 0, w, h, (int[]) null));
        }
        // the project's own label reader (OpenCV) agrees
        Path file = dir.resolve("l.png");
        Files.write(file, PngEncoder.gray(w, h, wide, false, 1, PngEncoder.Filter.UP, Map.of()));
        assertArrayEquals(wide, Images.readLabel(file).data());
    }

    @Test
    void textChunksAreReadBackInOrderAndBytesRepeat() throws IOException {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("roadneg:b", "second é ∂");
        text.put("roadneg:a", "{\"seed\": 3}");
        byte[] px = noisyRgb(8, 5, 2);
        byte[] one = PngEncoder.rgb(8, 5, px, 1, PngEncoder.Filter.UP, text);
        byte[] two = PngEncoder.rgb(8, 5, px, 1, PngEncoder.Filter.UP, text);
        assertArrayEquals(one, two);
        Path file = dir.resolve("t.png");
        Files.write(file, one);
        Map<String, String> back = Images.readPngText(file);
        assertEquals(text, back);
        // written in keyword order, whatever the map's own order
        assertEquals(java.util.List.of("roadneg:a", "roadneg:b"), java.util.List.copyOf(back.keySet()));
    }

    /**
     * The row-at-a-time label path writes the zlib stream of the whole map packed, UP-filtered and run-length
     * compressed at once (built here by hand), for 8-bit maps, maps that turn 16-bit part way down (a value above
     * 255 in a late row) and maps asked to be 16-bit.
     */
    @Test
    void labelRowsGiveTheStreamOfTheWholeFilteredMap() {
        Random r = new Random(29);
        for (int t = 0; t < 24; t++) {
            int w = 1 + r.nextInt(90);
            int h = 1 + r.nextInt(40);
            int[] v = new int[w * h];
            for (int i = 0; i < v.length; ) {
                int len = Math.min(v.length - i, 1 + r.nextInt(t % 3 == 0 ? 4 : 60));
                java.util.Arrays.fill(v, i, i + len, r.nextInt(t % 4 == 1 ? 40 : 256));
                i += len;
            }
            boolean sixteen = t % 4 == 3;
            if (t % 4 == 2) {
                v[v.length - 1 - r.nextInt(Math.min(v.length, w))] = 300 + r.nextInt(60000); // in the last row
            }
            boolean wide = sixteen || java.util.Arrays.stream(v).anyMatch(x -> x > 255);
            int bpp = wide ? 2 : 1;
            byte[] packed = new byte[w * h * bpp];
            for (int i = 0; i < v.length; i++) {
                if (wide) {
                    packed[2 * i] = (byte) (v[i] >>> 8);
                    packed[2 * i + 1] = (byte) v[i];
                } else {
                    packed[i] = (byte) v[i];
                }
            }
            int stride = w * bpp;
            byte[] raw = new byte[(stride + 1) * h];
            for (int y = 0; y < h; y++) {
                raw[y * (stride + 1)] = (byte) (y == 0 ? 0 : 2);
                for (int i = 0; i < stride; i++) {
                    int above = y == 0 ? 0 : packed[(y - 1) * stride + i];
                    raw[y * (stride + 1) + 1 + i] = (byte) (packed[y * stride + i] - above);
                }
            }
            byte[] z = new byte[RunLengthDeflate.bound(raw.length)];
            byte[] expected = java.util.Arrays.copyOf(z, RunLengthDeflate.compress(raw, raw.length, z));
            byte[] png = PngEncoder.gray(w, h, v, sixteen, 1, PngEncoder.Filter.UP, null);
            assertEquals(wide ? 16 : 8, png[24], "bit depth of map " + t);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(png, 33 + 8, 33 + 8 + expected.length),
                    "map " + t + " (" + w + "x" + h + ")");
            assertEquals(expected.length, PngHeader.readInt(png, 33), "IDAT length of map " + t);
        }
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PngEncoder.gray(2, 2, new int[] {0, 1, -1, 3}, false, 1,
                PngEncoder.Filter.UP, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PngEncoder.gray(2, 2, new int[] {0, 1, 70000, 3}, false,
                1, PngEncoder.Filter.UP, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PngEncoder.rgb(2, 2, new byte[11], 1,
                PngEncoder.Filter.UP, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PngEncoder.rgb(2, 2, new byte[12], 10,
                PngEncoder.Filter.UP, Map.of()));
    }

    @Test
    void largeImagesSpanSeveralIdatChunks() throws IOException {
        int w = 1024;
        int h = 600; // about 1.8 MB of noisy RGB: more than one 1 MiB IDAT chunk
        Random r = new Random(3);
        byte[] px = new byte[w * h * 3];
        r.nextBytes(px);
        byte[] png = PngEncoder.rgb(w, h, px, 0, PngEncoder.Filter.NONE, Map.of());
        int idat = 0;
        for (int i = 0; i + 4 <= png.length; i++) {
            if (png[i] == 'I' && png[i + 1] == 'D' && png[i + 2] == 'A' && png[i + 3] == 'T') {
                idat++;
            }
        }
        assertEquals(2, idat, "1.8 MB of stored data in chunks of at most 1 MiB"); // random bytes could spell IDAT
        // by chance (odds about 1.8e6 / 2^32), not with this seed
        Raster back = decode(png);
        assertEquals(px[px.length - 1] & 0xff, back.getSample(w - 1, h - 1, 2));
        assertEquals(px[0] & 0xff, back.getSample(0, 0, 0));
    }

    @Test
    void aMapAppliedRowByRowEncodesAsTheMappedMapDoes() throws IOException {
        Random rnd = new Random(21);
        // 8-bit results, results that need 16 bits, and results out of range
        PngEncoder.RowMapper small = (v, from, n, out, to) -> {
            for (int i = 0; i < n; i++) {
                out[to + i] = v[from + i] == 7 ? 1 : v[from + i] == 255 ? 255 : 0;
            }
        };
        PngEncoder.RowMapper wide = (v, from, n, out, to) -> {
            for (int i = 0; i < n; i++) {
                out[to + i] = v[from + i] * 200;
            }
        };
        for (int[] size : new int[][] {{1, 1}, {5, 3}, {64, 33}, {257, 9}}) {
            int w = size[0];
            int h = size[1];
            int[] values = new int[w * h];
            for (int i = 0; i < values.length; i++) {
                values[i] = rnd.nextInt(4) == 0 ? 7 : rnd.nextInt(10) == 0 ? 255 : rnd.nextInt(20);
            }
            for (PngEncoder.RowMapper m : new PngEncoder.RowMapper[] {small, wide}) {
                int[] mapped = new int[values.length];
                for (int y = 0; y < h; y++) {
                    m.map(values, y * w, w, mapped, y * w);
                }
                for (int level : new int[] {PngEncoder.LABEL_RUN_LENGTH_LEVEL, 0, 6}) {
                    for (PngEncoder.Filter f : new PngEncoder.Filter[] {PngEncoder.Filter.UP, PngEncoder.Filter.SUB}) {
                        for (boolean sixteen : new boolean[] {false, true}) {
                            java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream();
                            PngEncoder.writeGray(a, w, h, mapped, sixteen, level, f, Map.of());
                            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                            PngEncoder.writeGray(b, w, h, values, m, sixteen, level, f, Map.of());
                            assertArrayEquals(a.toByteArray(), b.toByteArray(),
                                    w + "x" + h + " level " + level + " " + f + " sixteen " + sixteen);
                        }
                    }
                }
            }
            PngEncoder.RowMapper negative = (v, from, n, out, to) -> java.util.Arrays.fill(out, to, to + n, -1);
            assertThrows(IllegalArgumentException.class, () -> PngEncoder.writeGray(
                    new java.io.ByteArrayOutputStream(), w, h, values, negative, false, 1, PngEncoder.Filter.UP,
                    Map.of()));
        }
    }

    /**
     * The encoder's buffers are per thread and grow as needed: a map compressed at a zlib level into a buffer that
     * had to grow is written from the grown buffer (once it was passed on before it grew: a fresh thread's first such
     * map failed, and a larger, well-compressing map after a smaller one was written from the smaller one's bytes).
     */
    @Test
    void aGrownBufferIsTheOneWritten() throws Exception {
        int[][] sizes = {{40, 40}, {40, 41}, {3, 2}, {90, 90}};
        byte[][] pngs = new byte[sizes.length][];
        int[][] maps = new int[sizes.length][];
        Thread t = new Thread(() -> {
            Random rnd = new Random(3);
            for (int k = 0; k < sizes.length; k++) {
                int[] v = new int[sizes[k][0] * sizes[k][1]];
                for (int i = 0; i < v.length; i++) {
                    v[i] = k % 2 == 0 ? rnd.nextInt(256) : i / 200; // noise, then long runs
                }
                maps[k] = v;
                pngs[k] = PngEncoder.gray(sizes[k][0], sizes[k][1], v, false, 6, PngEncoder.Filter.SUB, Map.of());
            }
        });
        t.setUncaughtExceptionHandler((th, e) -> pngs[0] = null);
        t.start();
        t.join();
        for (int k = 0; k < sizes.length; k++) {
            assertArrayEquals(maps[k], decode(pngs[k]).getPixels(0, 0, sizes[k][0], sizes[k][1], (int[]) null),
                    sizes[k][0] + "x" + sizes[k][1]);
        }
    }

    @Test
    void aMapStoredAsBytesEncodesAsTheSameValuesAsIntsDo() throws IOException {
        Random rnd = new Random(5);
        PngEncoder.RowMapper toOodInts = (v, from, n, out, to) -> {
            for (int i = 0; i < n; i++) {
                out[to + i] = v[from + i] == 254 ? 1 : v[from + i] == 255 ? 255 : 0;
            }
        };
        byte[] table = new byte[256];
        for (int v = 0; v < 256; v++) {
            table[v] = (byte) (v == 254 ? 1 : v == 255 ? 255 : 0);
        }
        PngEncoder.ByteTable toOod = new PngEncoder.ByteTable(table);
        table[0] = 7; // the mapper copied its table
        // widths that are and are not multiples of the eight bytes the UP filter takes at once
        for (int[] size : new int[][] {{1, 1}, {5, 3}, {8, 4}, {64, 33}, {257, 9}, {2048, 3}}) {
            int w = size[0];
            int h = size[1];
            int[] values = new int[w * h];
            byte[] bytes = new byte[w * h];
            for (int i = 0; i < values.length; i++) {
                // runs, with every byte value somewhere (the top bit set or not, equal neighbours or not)
                values[i] = rnd.nextInt(3) == 0 ? (i > 0 ? values[i - 1] : 0) : rnd.nextInt(4) == 0 ? 254
                        : rnd.nextInt(256);
                bytes[i] = (byte) values[i];
            }
            for (int level : new int[] {PngEncoder.LABEL_RUN_LENGTH_LEVEL, 0, 6}) {
                for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
                    String where = w + "x" + h + " level " + level + " " + f;
                    java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream();
                    PngEncoder.writeGray(a, w, h, values, false, level, f, Map.of("k", "v"));
                    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                    PngEncoder.writeGrayBytes(b, w, h, bytes, 1, null, level, f, Map.of("k", "v"));
                    assertArrayEquals(a.toByteArray(), b.toByteArray(), where);
                    a.reset();
                    b.reset();
                    PngEncoder.writeGray(a, w, h, values, toOodInts, false, level, f, Map.of());
                    PngEncoder.writeGrayBytes(b, w, h, bytes, 1, toOod, level, f, Map.of());
                    assertArrayEquals(a.toByteArray(), b.toByteArray(), where + " mapped");
                    // looked up only where a row differs from the one above: the file of the mapped samples
                    byte[] mappedBytes = new byte[bytes.length];
                    toOod.map(bytes, 0, bytes.length, mappedBytes, 0);
                    a.reset();
                    PngEncoder.writeGrayBytes(a, w, h, mappedBytes, 1, null, level, f, Map.of());
                    assertArrayEquals(a.toByteArray(), b.toByteArray(), where + " mapped by a table");
                    // the same values as 16-bit samples, and 16-bit values
                    byte[] wide = new byte[2 * values.length];
                    int[] big = new int[values.length];
                    byte[] bigSamples = new byte[2 * values.length];
                    for (int i = 0; i < values.length; i++) {
                        wide[2 * i + 1] = bytes[i];
                        big[i] = values[i] * 257 ^ (i % 3 == 0 ? 0 : 0x8000);
                        bigSamples[2 * i] = (byte) (big[i] >>> 8);
                        bigSamples[2 * i + 1] = (byte) big[i];
                    }
                    a.reset();
                    b.reset();
                    PngEncoder.writeGray(a, w, h, values, true, level, f, Map.of());
                    PngEncoder.writeGrayBytes(b, w, h, wide, 2, null, level, f, Map.of());
                    assertArrayEquals(a.toByteArray(), b.toByteArray(), where + " 16-bit");
                    a.reset();
                    b.reset();
                    PngEncoder.writeGray(a, w, h, big, true, level, f, Map.of());
                    PngEncoder.writeGrayBytes(b, w, h, bigSamples, 2, null, level, f, Map.of());
                    assertArrayEquals(a.toByteArray(), b.toByteArray(), where + " 16-bit values");
                }
            }
        }
    }
}
