package io.roadneg.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roadneg.datasets.image.RgbImage;
import io.roadneg.evaluation.bench.Target;
import io.roadneg.evaluation.scores.ScoreMap;
import org.junit.jupiter.api.Test;

/** The report's overlay: full size up to 1024 pixels wide, block-averaged by a whole factor beyond. */
class ReportsOverlayTest {
    @Test
    void narrowFramesKeepTheirSizeAndPixels() {
        int w = 6;
        int h = 4;
        RgbImage img = RgbImage.blank(w, h);
        img.setRgb(1, 1, 0x204060);
        float[] s = new float[w * h];
        s[w + 1] = 1f; // the top score: heat 255 at (1, 1), 0 elsewhere
        RgbImage o = Reports.overlay(img, new ScoreMap(w, h, s, null), new Target(w, h, new byte[w * h]));
        assertEquals(w, o.width());
        assertEquals(h, o.height());
        assertEquals(((0x20 + 255) / 2 << 16) | (0x40 / 2 << 8) | 0x60 / 2, o.rgb(1, 1));
        assertEquals(0, o.rgb(0, 0));
    }

    @Test
    void wideFramesAreReducedByAWholeFactorKeepingTheOutline() {
        int w = 2100; // over 1024: factor 3, 700 x 2
        int h = 6;
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRgb(x, y, (x % 3) * 0x300000); // red 0, 48, 96 in each block of three: mean 48 -> 24 halved
            }
        }
        byte[] t = new byte[w * h];
        t[3 * w + 1500] = 1; // a one-pixel anomaly: its own outline, in block (500, 1)
        float[] s = new float[w * h];
        RgbImage o = Reports.overlay(img, new ScoreMap(w, h, s, null), new Target(w, h, t));
        assertEquals(700, o.width());
        assertEquals(2, o.height());
        assertEquals(0x00ff00, o.rgb(500, 1), "the outline survives the reduction");
        assertEquals((0 + 24 + 48) / 3 << 16, o.rgb(10, 0), "a block averages its pixels");
    }
}
