package io.roadneg.generators;

import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

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

    /** Writes an item's thumbnail (overlay of its pasted pixels, {@link #THUMB_W} wide). */
    static void writeThumb(Path items, long index, RgbImage image, LabelMap ood) {
        Images.writePng(thumbFile(items, index), overlay(image, ood), 1, Map.of());
    }

    /** Composes the sheet from the thumbnails of {@code indices}. */
    static Path write(Path target, Path items, List<Integer> indices) {
        // level 1 (ISA-L where it loads): level 6's zlib took 0.18 s of the end of every run for 16 thumbnails
        Images.writePng(target, sheet(indices.stream().map(i -> Images.readRgb(thumbFile(items, i))).toList()), 1,
                Map.of());
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
                java.util.Arrays.fill(sheet.data(), (byte) 32);
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
     * Shrinks the image to the thumbnail width, then tints pasted pixels red and outlines them in yellow (the label
     * is shrunk by nearest neighbour, so the work is on the thumbnail, not the full frame).
     */
    public static RgbImage overlay(RgbImage img, LabelMap ood) {
        int tw = THUMB_W;
        int th = Math.max(1, (int) Math.round((double) img.height() * tw / img.width()));
        Mat m = Mats.fromRgb(img);
        Mat s = new Mat();
        Mat l = Mats.fromLabel(ood, org.opencv.core.CvType.CV_8UC1);
        Mat ls = new Mat();
        RgbImage o;
        LabelMap small;
        try {
            Imgproc.resize(m, s, new Size(tw, th), 0, 0, Imgproc.INTER_AREA);
            Imgproc.resize(l, ls, new Size(tw, th), 0, 0, Imgproc.INTER_NEAREST);
            o = Mats.toRgb(s);
            small = Mats.toLabel(ls);
        } finally {
            m.release();
            s.release();
            l.release();
            ls.release();
        }
        int[] d = small.data();
        byte[] p = o.data();
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
        return o;
    }
}
