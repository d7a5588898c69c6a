package io.roadneg.generators;

import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The preview sheet: a grid of thumbnails of made outputs with the pasted pixels tinted and outlined, so a person can
 * see at a glance what a run made.
 */
public final class Preview {
    static final int THUMB_W = 320;
    static final int COLS = 4;

    private Preview() {
    }

    /** The thumbnail file of an item, written while the item is made. */
    static Path thumbFile(Path items, long index) {
        return items.resolve(String.format("%06d.thumb.png", index));
    }

    /** The item index of a {@link #thumbFile} name, or -1 for any other name. */
    static int thumbIndex(String fileName) {
        return fileName.matches("\\d{6,9}\\.thumb\\.png")
                ? Integer.parseInt(fileName.substring(0, fileName.indexOf('.'))) : -1;
    }

    /** Writes an item's thumbnail (overlay of its pasted pixels, {@link #THUMB_W} wide) and returns it. */
    static RgbImage writeThumb(Path items, long index, RgbImage image, LabelMap ood) {
        RgbImage thumb = overlay(image, ood);
        Images.writePng(thumbFile(items, index), thumb, 1, Map.of());
        return thumb;
    }

    /** Writes the sheet of {@code thumbs} to {@code target}. */
    static Path write(Path target, List<RgbImage> thumbs) {
        // level 1 (ISA-L where it loads): level 6's zlib took 0.18 s of the end of every run for 16 thumbnails
        Images.writePng(target, sheet(thumbs), 1, Map.of());
        return target;
    }

    /** A sheet of thumbnails ({@link #overlay}), {@link #COLS} to a row, on a dark background. */
    public static RgbImage sheet(List<RgbImage> thumbs) {
        RgbImage sheet = null;
        int th = 0;
        int rows = (thumbs.size() + COLS - 1) / COLS;
        for (int k = 0; k < thumbs.size(); k++) {
            RgbImage thumb = thumbs.get(k);
            if (sheet == null) {
                th = thumb.height();
                sheet = RgbImage.blank(COLS * THUMB_W + (COLS + 1) * 4, rows * th + (rows + 1) * 4);
                // the background: one row filled, then copied (a fill of the whole sheet runs once a process, in
                // the interpreter: 5-10 ms)
                byte[] d = sheet.data();
                int row = sheet.width() * 3;
                java.util.Arrays.fill(d, 0, row, (byte) 32);
                for (int at = row; at < d.length; at += row) {
                    System.arraycopy(d, 0, d, at, row);
                }
            }
            int ox = 4 + (k % COLS) * (THUMB_W + 4);
            int oy = 4 + (k / COLS) * (th + 4);
            for (int y = 0; y < Math.min(th, thumb.height()); y++) {
                System.arraycopy(thumb.data(), y * thumb.width() * 3, sheet.data(), ((oy + y) * sheet.width() + ox) * 3,
                        Math.min(THUMB_W, thumb.width()) * 3);
            }
        }
        return sheet;
    }

    /** Samples per side of each thumbnail pixel's block of the full frame (a grid, averaged). */
    static final int SAMPLES = 4;

    /**
     * Shrinks the image to the thumbnail width, then tints pasted pixels red and outlines them in yellow. Each
     * thumbnail pixel covers a block of the frame (about 6x6 pixels for 2048 wide): its colour is the rounded mean of
     * a {@link #SAMPLES}x{@link #SAMPLES} grid of pixels spread evenly over the block, its label the block's top-left
     * pixel (nearest neighbour), so the work is on the thumbnail's pixels, not the full frame's (6.5 ms a frame
     * through OpenCV's area resize, which needed a copy and colour swap of the whole frame).
     */
    public static RgbImage overlay(RgbImage img, LabelMap ood) {
        int w = img.width();
        int h = img.height();
        int tw = THUMB_W;
        int th = Math.max(1, (int) Math.round((double) h * tw / w));
        int[] x0 = edges(w, tw);
        int[] y0 = edges(h, th);
        byte[] src = img.data();
        int[] lab = ood.data();
        RgbImage o = RgbImage.blank(tw, th);
        byte[] p = o.data();
        int[] d = new int[tw * th];
        int[] sx = new int[SAMPLES];
        int[] sy = new int[SAMPLES];
        for (int y = 0; y < th; y++) {
            spread(y0[y], y0[y + 1], sy);
            for (int x = 0; x < tw; x++) {
                spread(x0[x], x0[x + 1], sx);
                int r = 0;
                int g = 0;
                int b = 0;
                for (int j = 0; j < SAMPLES; j++) {
                    int row = sy[j] * w;
                    for (int i = 0; i < SAMPLES; i++) {
                        int at = (row + sx[i]) * 3;
                        r += src[at] & 0xff;
                        g += src[at + 1] & 0xff;
                        b += src[at + 2] & 0xff;
                    }
                }
                int n = SAMPLES * SAMPLES;
                int q = (y * tw + x) * 3;
                p[q] = (byte) ((r + n / 2) / n);
                p[q + 1] = (byte) ((g + n / 2) / n);
                p[q + 2] = (byte) ((b + n / 2) / n);
                d[y * tw + x] = lab[y0[y] * w + x0[x]];
            }
        }
        tint(p, d, tw, th);
        return o;
    }

    /** The first source index of each of {@code n} blocks over {@code size}, and {@code size} at the end. */
    private static int[] edges(int size, int n) {
        int[] e = new int[n + 1];
        for (int k = 0; k <= n; k++) {
            e[k] = (int) ((long) k * size / n);
        }
        return e;
    }

    /** {@link #SAMPLES} positions spread evenly over {@code [from, to)} (repeated where the block is narrower). */
    private static void spread(int from, int to, int[] at) {
        int len = Math.max(1, to - from);
        for (int k = 0; k < SAMPLES; k++) {
            at[k] = from + (2 * k + 1) * len / (2 * SAMPLES);
        }
    }

    /** Pasted pixels (label 1) tinted red, their outline yellow. */
    private static void tint(byte[] p, int[] d, int tw, int th) {
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                int i = y * tw + x;
                if (d[i] != 1) {
                    continue;
                }
                boolean edge = x == 0 || y == 0 || x == tw - 1 || y == th - 1 || d[i - 1] != 1 || d[i + 1] != 1
                        || d[i - tw] != 1 || d[i + tw] != 1;
                if (edge) {
                    p[i * 3] = (byte) 255;
                    p[i * 3 + 1] = (byte) 230;
                    p[i * 3 + 2] = 0;
                } else {
                    p[i * 3] = (byte) ((p[i * 3] & 0xff) / 2 + 127);
                    p[i * 3 + 1] = (byte) ((p[i * 3 + 1] & 0xff) / 2);
                    p[i * 3 + 2] = (byte) ((p[i * 3 + 2] & 0xff) / 2);
                }
            }
        }
    }
}
