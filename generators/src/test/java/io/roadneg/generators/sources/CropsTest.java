package io.roadneg.generators.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.roadneg.datasets.image.RgbImage;
import io.roadneg.pasting.PasteObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CropsTest {
    /** The bounding box and area of the set pixels, pixel by pixel: what {@link Crops#cutOut} must find. */
    private static int[] plainBox(byte[] mask, int w, int h) {
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        int area = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask[y * w + x] != 0) {
                    area++;
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x0, y0, x1, y1, area};
    }

    @Test
    void theCutOutHasTheSetPixelsBoxAndArea() {
        Random rnd = new Random(9);
        // rows narrower and wider than the zeros the scan compares with (65536), sparse and dense masks, set
        // pixels on the first and last column and row, values other than 1
        for (int[] size : new int[][] {{1, 1}, {7, 5}, {640, 480}, {5000, 3}, {70_000, 2}}) {
            int w = size[0];
            int h = size[1];
            for (int t = 0; t < 6; t++) {
                byte[] mask = new byte[w * h];
                int pixels = t == 0 ? 0 : t == 1 ? 1 : t * 40;
                for (int k = 0; k < pixels; k++) {
                    int at = k == 1 ? w * h - 1 : k == 2 ? (h - 1) * w : rnd.nextInt(w * h);
                    int run = 1 + rnd.nextInt(t % 2 == 0 ? 3 : 300);
                    for (int i = at; i < Math.min(w * h, at + run); i++) {
                        mask[i] = (byte) (1 + rnd.nextInt(255));
                    }
                }
                RgbImage img = RgbImage.blank(w, h);
                rnd.nextBytes(img.data());
                int[] box = plainBox(mask, w, h);
                PasteObject o = Crops.cutOut(img, mask, 1, "s", 1, "c");
                String where = w + "x" + h + " case " + t;
                if (box[4] == 0) {
                    assertNull(o, where);
                    continue;
                }
                int bw = box[2] - box[0] + 1;
                int bh = box[3] - box[1] + 1;
                assertEquals(bw, o.rgb().width(), where);
                assertEquals(bh, o.rgb().height(), where);
                assertEquals(box[4], o.area(), where);
                byte[] want = new byte[bw * bh];
                byte[] rgb = new byte[bw * bh * 3];
                for (int y = 0; y < bh; y++) {
                    for (int x = 0; x < bw; x++) {
                        int src = (y + box[1]) * w + x + box[0];
                        want[y * bw + x] = mask[src] != 0 ? (byte) 1 : 0;
                        System.arraycopy(img.data(), 3 * src, rgb, 3 * (y * bw + x), 3);
                    }
                }
                assertArrayEquals(want, o.mask(), where);
                assertArrayEquals(rgb, o.rgb().data(), where);
                assertNull(Crops.cutOut(img, mask, box[4] + 1, "s", 1, "c"), "under minArea, " + where);
            }
        }
    }
}
