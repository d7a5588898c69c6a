package io.roadneg.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preview thumbnail: size, block colours, the tint and outline of pasted pixels, frames narrower than it. */
class PreviewTest {
    @Test
    void eachThumbnailPixelIsTheMeanOfItsBlockAndPastedPixelsAreMarked() {
        // 640x320 frame: every 2x2 block one colour, so each thumbnail pixel (320 wide) is its block's colour
        int w = 640;
        int h = 320;
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRgb(x, y, (x / 2 * 7 & 0xff) << 16 | (y / 2 * 3 & 0xff) << 8 | 40);
            }
        }
        int[] ood = new int[w * h];
        for (int y = 40; y < 120; y++) {
            for (int x = 100; x < 200; x++) {
                ood[y * w + x] = 1; // thumbnail pixels x 50..99, y 20..59
            }
        }
        RgbImage t = Preview.overlay(img, new LabelMap(w, h, ood));
        assertEquals(Preview.THUMB_W, t.width());
        assertEquals(160, t.height());
        assertEquals((10 * 7 & 0xff) << 16 | (5 * 3) << 8 | 40, t.rgb(10, 5),
                "an unmarked pixel keeps its block's colour");
        assertEquals(255 << 16 | 230 << 8, t.rgb(50, 30), "the left edge of the pasted region is outlined");
        assertEquals(255 << 16 | 230 << 8, t.rgb(70, 59), "so is its bottom edge");
        int inside = t.rgb(70, 40);
        int block = img.rgb(140, 80);
        int tinted = ((block >> 16 & 0xff) / 2 + 127) << 16 | ((block >> 8 & 0xff) / 2) << 8 | (block & 0xff) / 2;
        assertEquals(tinted, inside, "inside it is tinted red");
    }

    @Test
    void aNonIntegerShrinkAveragesSamplesAndNarrowFramesAreStretched() {
        // 2048 wide (6.4 frame pixels per thumbnail pixel): a frame of one grey gives that grey exactly
        RgbImage grey = RgbImage.blank(2048, 1024);
        java.util.Arrays.fill(grey.data(), (byte) 77);
        RgbImage t = Preview.overlay(grey, new LabelMap(2048, 1024, new int[2048 * 1024]));
        assertEquals(160, t.height());
        assertEquals(77 << 16 | 77 << 8 | 77, t.rgb(319, 159));
        // vertical stripes one pixel wide, black and white: the thumbnail is their mean grey within rounding
        RgbImage stripes = RgbImage.blank(2048, 64);
        for (int x = 1; x < 2048; x += 2) {
            for (int y = 0; y < 64; y++) {
                stripes.setRgb(x, y, 0xffffff);
            }
        }
        int g = Preview.overlay(stripes, new LabelMap(2048, 64, new int[2048 * 64])).get(100, 5, 0);
        assertEquals(128, g, 64, "samples fall on both kinds of stripe");
        // a frame narrower than the thumbnail: pixels repeat, no index leaves the frame
        RgbImage small = RgbImage.blank(3, 2);
        small.setRgb(2, 1, 0x123456);
        RgbImage up = Preview.overlay(small, new LabelMap(3, 2, new int[] {0, 0, 0, 0, 0, 1}));
        assertEquals(213, up.height());
        assertEquals(0, up.rgb(0, 0));
        assertEquals(255 << 16 | 230 << 8, up.rgb(319, 212), "the pasted corner pixel is on the thumbnail's edge");
        assertEquals(List.of(320, 213), List.of(up.width(), up.height()));
    }

    @Test
    void thumbnailsAreThePerPixelSamplesOfTheFrame() {
        java.util.Random rnd = new java.util.Random(5);
        int[][] sizes = {{2048, 1024}, {640, 320}, {1000, 7}, {333, 2000}, {3, 2}, {321, 1}};
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            RgbImage img = RgbImage.blank(w, h);
            rnd.nextBytes(img.data());
            int[] ood = new int[w * h];
            for (int i = 0; i < ood.length; i++) {
                ood[i] = rnd.nextInt(9) == 0 ? 1 : rnd.nextInt(30) == 0 ? 255 : 0;
            }
            LabelMap lab = new LabelMap(w, h, ood);
            RgbImage want = reference(img, lab);
            RgbImage got = Preview.thumbnail(img, Preview.labels(lab, null));
            String what = w + "x" + h;
            assertEquals(want.width(), got.width(), what);
            assertEquals(want.height(), got.height(), what);
            org.junit.jupiter.api.Assertions.assertArrayEquals(want.data(), got.data(), what);
            org.junit.jupiter.api.Assertions.assertArrayEquals(want.data(), Preview.overlay(img, lab).data(), what);
            // the paste job's way: labels mapped from the train ids where sampled, the frame drawn on another thread
            int[] train = new int[w * h];
            int[] mapped = new int[w * h];
            for (int i = 0; i < train.length; i++) {
                train[i] = rnd.nextInt(20);
                mapped[i] = train[i] == 19 ? 1 : train[i] == 0 ? 255 : 0;
            }
            io.roadneg.datasets.image.PngEncoder.RowMapper toOod = (v, from, n, out, to) -> {
                for (int k = 0; k < n; k++) {
                    out[to + k] = v[from + k] == 19 ? 1 : v[from + k] == 0 ? 255 : 0;
                }
            };
            RgbImage byFrame = new Preview.Frame(img, Preview.labels(new LabelMap(w, h, train), toOod)).thumbnail();
            org.junit.jupiter.api.Assertions.assertArrayEquals(Preview.overlay(img, new LabelMap(w, h, mapped)).data(),
                    byFrame.data(), what + ": mapped where sampled");
        }
    }

    /**
     * The thumbnail pixel by pixel, as written first: per thumbnail pixel the {@code SAMPLES x SAMPLES} grid of its
     * block summed, its label the block's top-left pixel; then Preview's marking of the pasted pixels.
     */
    private static RgbImage reference(RgbImage img, LabelMap ood) {
        int w = img.width();
        int h = img.height();
        int tw = Preview.THUMB_W;
        int th = Math.max(1, (int) Math.round((double) h * tw / w));
        int n = Preview.SAMPLES;
        RgbImage o = RgbImage.blank(tw, th);
        int[] d = new int[tw * th];
        for (int y = 0; y < th; y++) {
            int by0 = (int) ((long) y * h / th);
            int by1 = (int) ((long) (y + 1) * h / th);
            for (int x = 0; x < tw; x++) {
                int bx0 = (int) ((long) x * w / tw);
                int bx1 = (int) ((long) (x + 1) * w / tw);
                int[] sum = new int[3];
                for (int j = 0; j < n; j++) {
                    int sy = by0 + (2 * j + 1) * Math.max(1, by1 - by0) / (2 * n);
                    for (int i = 0; i < n; i++) {
                        int sx = bx0 + (2 * i + 1) * Math.max(1, bx1 - bx0) / (2 * n);
                        for (int c = 0; c < 3; c++) {
                            sum[c] += img.get(sx, sy, c);
                        }
                    }
                }
                for (int c = 0; c < 3; c++) {
                    o.data()[(y * tw + x) * 3 + c] = (byte) ((sum[c] + n * n / 2) / (n * n));
                }
                d[y * tw + x] = ood.data()[by0 * w + bx0];
            }
        }
        Preview.tint(o.data(), d, tw, th); // the marking is checked on its own above
        return o;
    }
}
