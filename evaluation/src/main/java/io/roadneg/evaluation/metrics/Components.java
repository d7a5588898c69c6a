package io.roadneg.evaluation.metrics;

/** 8-connected component labelling of a binary mask by a scanline flood fill (labels 1..count, 0 = background). */
public final class Components {
    private Components() {
    }

    /** Labels {@code mask} (row-major, {@code w} x {@code h}); returns the label per pixel, count in {@code [0]}. */
    public static int[] label(boolean[] mask, int w, int h, int[] countOut) {
        int[] lab = new int[w * h];
        int[] stack = new int[Math.max(16, w * h)];
        int next = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || lab[start] != 0) {
                continue;
            }
            next++;
            int sp = 0;
            stack[sp++] = start;
            lab[start] = next;
            while (sp > 0) {
                int p = stack[--sp];
                int x = p % w;
                int y = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        int q = yy * w + xx;
                        if (mask[q] && lab[q] == 0) {
                            lab[q] = next;
                            stack[sp++] = q;
                        }
                    }
                }
            }
        }
        countOut[0] = next;
        return lab;
    }
}
