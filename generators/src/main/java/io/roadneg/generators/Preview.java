package io.roadneg.generators;

import com.fasterxml.jackson.databind.JsonNode;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
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
final class Preview {
    static final int THUMB_W = 320;
    static final int COLS = 4;

    private Preview() {
    }

    static Path write(Path target, Path out, Path items, List<Integer> indices) {
        try {
            RgbImage first = null;
            int th = 0;
            int rows = (indices.size() + COLS - 1) / COLS;
            RgbImage sheet = null;
            for (int k = 0; k < indices.size(); k++) {
                JsonNode rec = PasteJob.JSON.readTree(PasteJob.itemFile(items, indices.get(k)).toFile());
                Path img = out.resolve(rec.get("image").asText());
                String stem = rec.get("stem").asText();
                Path ood = img.getParent().getParent().getParent().getParent().resolve("gtFine")
                        .resolve(img.getParent().getParent().getFileName()).resolve(img.getParent().getFileName())
                        .resolve(stem + "_gtFine_ood.png");
                RgbImage thumb = overlay(Images.readRgb(img), Images.readLabel(ood));
                if (first == null) {
                    first = thumb;
                    th = thumb.height();
                    sheet = RgbImage.blank(COLS * THUMB_W + (COLS + 1) * 4, rows * th + (rows + 1) * 4);
                    java.util.Arrays.fill(sheet.data(), (byte) 32);
                }
                int ox = 4 + (k % COLS) * (THUMB_W + 4);
                int oy = 4 + (k / COLS) * (th + 4);
                for (int y = 0; y < Math.min(th, thumb.height()); y++) {
                    System.arraycopy(thumb.data(), y * thumb.width() * 3, sheet.data(), ((oy + y) * sheet.width() + ox)
                            * 3, Math.min(THUMB_W, thumb.width()) * 3);
                }
            }
            Images.writePng(target, sheet, 6, Map.of());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tints pasted pixels red and draws their outline in yellow, then shrinks to the thumbnail width. */
    static RgbImage overlay(RgbImage img, LabelMap ood) {
        RgbImage o = img.copy();
        int w = img.width();
        int h = img.height();
        int[] d = ood.data();
        byte[] p = o.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (d[i] != 1) {
                    continue;
                }
                boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || d[i - 1] != 1 || d[i + 1] != 1
                        || d[i - w] != 1 || d[i + w] != 1;
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
        int tw = THUMB_W;
        int th = Math.max(1, (int) Math.round((double) h * tw / w));
        Mat m = Mats.fromRgb(o);
        Mat s = new Mat();
        try {
            Imgproc.resize(m, s, new Size(tw, th), 0, 0, Imgproc.INTER_AREA);
            return Mats.toRgb(s);
        } finally {
            m.release();
            s.release();
        }
    }
}
