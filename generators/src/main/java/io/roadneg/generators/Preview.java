package io.roadneg.generators;

import io.roadneg.datasets.Names;
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
        return items.resolve(Names.zeroPad(index, 6) + ".thumb.png");
    }

    /** The item index of a {@link #thumbFile} name, or -1 for any other name. */
    static int thumbIndex(String fileName) {
        return fileName.matches("\\d{6,9}\\.thumb\\.png")
                ? Integer.parseInt(fileName.substring(0, fileName.indexOf('.'))) : -1;
    }

    /** Writes an item's thumbnail ({@link #overlay} of its pasted pixels, drawn already) and returns it. */
    static RgbImage writeThumb(Path items, long index, RgbImage thumb) {
        // stored, not compressed: a scratch file read back only by a resumed run, which level 1 made 15 % smaller
        // in twice the time (320x160: 130 against 154 KB, 1.0 against 0.55 ms with the write)
        Images.writePng(thumbFile(items, index), thumb, 0, Map.of());
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

    /**
     * Samples per side of each thumbnail pixel's block of the full frame (a grid, averaged). Two: a 2x2 grid of the
     * about 6x6 pixels of a 2048-wide frame's block is enough for a sheet a person looks over, and the sampling of the
     * preview items is a worker's cost (4x4: 1.2 ms a 2048x1024 frame, 2x2: 0.6 ms; 16 of a 24-item run's items have
     * a thumbnail).
     */
    static final int SAMPLES = 2;

    /**
     * Shrinks the image to the thumbnail width, then tints pasted pixels red and outlines them in yellow. Each
     * thumbnail pixel covers a block of the frame (about 6x6 pixels for 2048 wide): its colour is the rounded mean of
     * a {@link #SAMPLES}x{@link #SAMPLES} grid of pixels spread evenly over the block, its label the block's top-left
     * pixel (nearest neighbour), so the work is on the thumbnail's pixels, not the full frame's (6.5 ms a frame
     * through OpenCV's area resize, which needed a copy and colour swap of the whole frame).
     */
    public static RgbImage overlay(RgbImage img, LabelMap ood) {
        return new Frame(img, labels(ood, null)).thumbnail();
    }

    /**
     * A made frame handed over for its thumbnail, with the anomaly labels the thumbnail samples ({@link #labels}):
     * a worker gathers the labels (51,200 of a 2048x1024 frame's 2 M) before its label arrays go on to the next item,
     * and hands the frame itself to the job's calling thread, which draws the thumbnail ({@link #thumbnail}) beside
     * the workers, from an array the worker no longer touches.
     */
    record Frame(RgbImage image, int[] labels) {
        /** The frame's {@link #overlay}. */
        RgbImage thumbnail() {
            return Preview.thumbnail(image, labels);
        }
    }

    /**
     * The anomaly labels a thumbnail of a frame of {@code labels}' size marks (label 1: pasted): each thumbnail
     * pixel's block's top-left label, as {@code toOod} maps {@code labels} (the painted train ids), or {@code labels}
     * themselves when it is null.
     */
    static int[] labels(LabelMap labels, io.roadneg.datasets.image.PngEncoder.RowMapper toOod) {
        int w = labels.width();
        int h = labels.height();
        int th = thumbHeight(w, h);
        int[] x0 = edges(w, THUMB_W);
        int[] y0 = edges(h, th);
        byte[] lb = labels.bytes(); // read as they are stored: a map of bytes is not widened for a few samples
        int[] lab = lb == null ? labels.data() : null;
        int[] d = new int[THUMB_W * th];
        for (int ty = 0; ty < th; ty++) {
            for (int x = 0; x < THUMB_W; x++) {
                int at = y0[ty] * w + x0[x];
                d[ty * THUMB_W + x] = lb != null ? lb[at] & 0xff : lab[at];
            }
        }
        if (toOod != null) {
            toOod.map(d, 0, d.length, d, 0);
        }
        return d;
    }

    /** A thumbnail's height for a {@code w x h} frame. */
    private static int thumbHeight(int w, int h) {
        return Math.max(1, (int) Math.round((double) h * THUMB_W / w));
    }

    /**
     * The {@link #overlay} of {@code img}, with {@code labels} the anomaly labels it samples ({@link #labels}): per
     * thumbnail pixel the mean of a {@link #SAMPLES} x {@link #SAMPLES} grid over its block, a thumbnail row at a
     * time (one row of channel sums; the frame's sampled rows are read top to bottom).
     */
    static RgbImage thumbnail(RgbImage img, int[] labels) {
        byte[] src = img.data();
        int w = img.width();
        int h = img.height();
        int th = thumbHeight(w, h);
        int[] x0 = edges(w, THUMB_W);
        int[] y0 = edges(h, th);
        int[] at = new int[SAMPLES];
        // byte offsets within a row of each thumbnail column's samples
        int[] sx = new int[THUMB_W * SAMPLES];
        for (int x = 0; x < THUMB_W; x++) {
            spread(x0[x], x0[x + 1], at);
            for (int i = 0; i < SAMPLES; i++) {
                sx[x * SAMPLES + i] = 3 * at[i];
            }
        }
        RgbImage o = RgbImage.blank(THUMB_W, th);
        byte[] p = o.data();
        int[] sum = new int[THUMB_W * 3];
        int n = SAMPLES * SAMPLES;
        for (int ty = 0; ty < th; ty++) {
            java.util.Arrays.fill(sum, 0);
            spread(y0[ty], y0[ty + 1], at);
            for (int j = 0; j < SAMPLES; j++) {
                int row = 3 * at[j] * w;
                for (int x = 0; x < THUMB_W; x++) {
                    for (int i = 0; i < SAMPLES; i++) {
                        int a = row + sx[x * SAMPLES + i];
                        sum[3 * x] += src[a] & 0xff;
                        sum[3 * x + 1] += src[a + 1] & 0xff;
                        sum[3 * x + 2] += src[a + 2] & 0xff;
                    }
                }
            }
            for (int k = 0; k < sum.length; k++) {
                p[ty * sum.length + k] = (byte) ((sum[k] + n / 2) / n);
            }
        }
        tint(p, labels, THUMB_W, th);
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
    static void tint(byte[] p, int[] d, int tw, int th) {
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
