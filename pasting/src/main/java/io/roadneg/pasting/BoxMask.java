package io.roadneg.pasting;

import io.roadneg.datasets.coco.Rle;
import java.util.Arrays;

/**
 * A binary mask held only over its box inside a larger image: what one pasted object covers.
 *
 * @param x left column of the box in the image
 * @param y top row of the box in the image
 * @param w box width
 * @param h box height
 * @param bits row-major, non-zero inside the object
 */
record BoxMask(int x, int y, int w, int h, byte[] bits) {

    /** The mask as a COCO RLE over the full {@code imageH x imageW} image, built straight from the box. */
    Rle toRle(int imageH, int imageW) {
        RunWriter runs = new RunWriter();
        // columns left of the box, then each box column with the rows above and below it, then columns to the right
        runs.add(false, (long) x * imageH);
        for (int cx = 0; cx < w; cx++) {
            runs.add(false, y);
            for (int cy = 0; cy < h; cy++) {
                runs.add(bits[cy * w + cx] != 0, 1);
            }
            runs.add(false, imageH - y - h);
        }
        runs.add(false, (long) (imageW - x - w) * imageH);
        return new Rle(imageH, imageW, runs.finish());
    }

    /** Accumulates alternating runs that start with a run of zeros. */
    private static final class RunWriter {
        private long[] counts = new long[16];
        private int n;
        private long run;
        private boolean cur;

        void add(boolean value, long length) {
            if (length == 0) {
                return;
            }
            if (value != cur) {
                if (n == counts.length) {
                    counts = Arrays.copyOf(counts, n * 2);
                }
                counts[n++] = run;
                run = 0;
                cur = value;
            }
            run += length;
        }

        long[] finish() {
            long[] out = Arrays.copyOf(counts, n + 1);
            out[n] = run;
            return out;
        }
    }
}
