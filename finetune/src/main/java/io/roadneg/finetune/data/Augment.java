package io.roadneg.finetune.data;

import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.RgbImage;
import java.util.Random;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Joint image/label augmentation, drawn first and applied without randomness: scale (bilinear image, nearest
 * labels), a crop (padding with black / void where the scaled image is smaller) and a horizontal flip.
 */
public final class Augment {
    /** Every random choice of one sample. */
    public record Plan(double scale, int x, int y, boolean flip) {
    }

    private Augment() {
    }

    /** Draws a plan for an image of the given size. */
    public static Plan draw(Random rng, int width, int height, double minScale, double maxScale, int cropH, int cropW,
            boolean flip) {
        double s = minScale + rng.nextDouble() * (maxScale - minScale);
        int sw = Math.max(1, (int) Math.round(width * s));
        int sh = Math.max(1, (int) Math.round(height * s));
        int x = sw > cropW ? rng.nextInt(sw - cropW + 1) : 0;
        int y = sh > cropH ? rng.nextInt(sh - cropH + 1) : 0;
        boolean f = flip && rng.nextBoolean();
        return new Plan(s, x, y, f);
    }

    /** Applies a plan: the crop of the scaled image and labels. */
    public static RgbImage image(RgbImage img, Plan p, int cropH, int cropW) {
        OpenCv.ensureLoaded();
        int sw = Math.max(1, (int) Math.round(img.width() * p.scale()));
        int sh = Math.max(1, (int) Math.round(img.height() * p.scale()));
        RgbImage scaled = img;
        if (sw != img.width() || sh != img.height()) {
            Mat m = Mats.fromRgb(img);
            Mat r = new Mat();
            Imgproc.resize(m, r, new Size(sw, sh), 0, 0, Imgproc.INTER_LINEAR);
            scaled = Mats.toRgb(r);
            m.release();
            r.release();
        }
        byte[] src = scaled.data();
        byte[] out = new byte[cropW * cropH * 3];
        for (int y = 0; y < cropH; y++) {
            int sy = p.y() + y;
            if (sy >= sh) {
                break;
            }
            for (int x = 0; x < cropW; x++) {
                int sx = p.x() + x;
                if (sx >= sw) {
                    break;
                }
                int dx = p.flip() ? cropW - 1 - x : x;
                System.arraycopy(src, (sy * sw + sx) * 3, out, (y * cropW + dx) * 3, 3);
            }
        }
        return new RgbImage(cropW, cropH, out);
    }

    /** Applies a plan to a label map (nearest neighbour; outside the image is void). */
    public static int[] labels(LabelMap labels, Plan p, int cropH, int cropW) {
        int w = labels.width();
        int h = labels.height();
        int sw = Math.max(1, (int) Math.round(w * p.scale()));
        int sh = Math.max(1, (int) Math.round(h * p.scale()));
        int[] src = labels.data();
        int[] out = new int[cropW * cropH];
        java.util.Arrays.fill(out, LabelValues.VOID);
        for (int y = 0; y < cropH; y++) {
            int sy = p.y() + y;
            if (sy >= sh) {
                break;
            }
            // OpenCV INTER_NEAREST: floor(dst * src / dst_size)
            int yy = Math.min(h - 1, (int) Math.floor(sy * (double) h / sh));
            for (int x = 0; x < cropW; x++) {
                int sx = p.x() + x;
                if (sx >= sw) {
                    break;
                }
                int xx = Math.min(w - 1, (int) Math.floor(sx * (double) w / sw));
                int dx = p.flip() ? cropW - 1 - x : x;
                out[y * cropW + dx] = src[yy * w + xx];
            }
        }
        return out;
    }
}
