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
}
