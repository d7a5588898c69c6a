package io.roadneg.generators.masks;

import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic scenes for mask-quality tests and the benchmark: a smoothly varying noisy background with non-overlapping
 * blobs (ellipses with a bump on the outline) of distinct colours and their own texture.
 */
final class SyntheticScenes {
    /** An image and its objects' true masks. */
    record Scene(RgbImage image, List<Rle> masks) {
    }

    private SyntheticScenes() {
    }

    static Scene make(long seed, int width, int height, int objects) {
        Random rng = new Random(seed);
        byte[] px = new byte[width * height * 3];
        int[] base = {rng.nextInt(120) + 60, rng.nextInt(120) + 60, rng.nextInt(120) + 60};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double wave = 25 * Math.sin((x * (c + 1)) / 37.0 + y / 53.0);
                    px[(y * width + x) * 3 + c] = (byte) clamp(base[c] + wave + rng.nextGaussian() * 12);
                }
            }
        }
        int[] owner = new int[width * height];
        List<Rle> masks = new ArrayList<>();
        int tries = 0;
        while (masks.size() < objects && tries++ < 200) {
            int rx = 12 + rng.nextInt(Math.max(1, Math.min(width, height) / 6));
            int ry = 12 + rng.nextInt(Math.max(1, Math.min(width, height) / 6));
            int cx = rx + rng.nextInt(Math.max(1, width - 2 * rx));
            int cy = ry + rng.nextInt(Math.max(1, height - 2 * ry));
            double bump = rng.nextDouble() * 0.3;
            double phase = rng.nextDouble() * Math.PI * 2;
            byte[] m = new byte[width * height];
            boolean free = true;
            for (int y = Math.max(0, cy - 2 * ry); y < Math.min(height, cy + 2 * ry) && free; y++) {
                for (int x = Math.max(0, cx - 2 * rx); x < Math.min(width, cx + 2 * rx); x++) {
                    double dx = (x - cx) / (double) rx;
                    double dy = (y - cy) / (double) ry;
                    double r = 1 + bump * Math.sin(3 * Math.atan2(dy, dx) + phase);
                    if (dx * dx + dy * dy <= r * r) {
                        // keep a gap so objects' boxes do not swallow each other
                        if (owner[y * width + x] != 0) {
                            free = false;
                            break;
                        }
                        m[y * width + x] = 1;
                    }
                }
            }
            if (!free) {
                continue;
            }
            int id = masks.size() + 1;
            int[] col = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
            // a colour far from the background so the object is visible, as real objects mostly are
            if (Math.abs(col[0] - base[0]) + Math.abs(col[1] - base[1]) + Math.abs(col[2] - base[2]) < 150) {
                col[0] = 255 - base[0];
                col[1] = 255 - base[1];
            }
            for (int i = 0; i < m.length; i++) {
                if (m[i] != 0) {
                    owner[i] = id;
                    int x = i % width;
                    int y = i / width;
                    double stripe = ((x + y) / 6) % 2 == 0 ? 18 : -18;
                    for (int c = 0; c < 3; c++) {
                        px[i * 3 + c] = (byte) clamp(col[c] + stripe + rng.nextGaussian() * 8);
                    }
                }
            }
            masks.add(Rle.fromRowMajor(m, height, width));
        }
        return new Scene(new RgbImage(width, height, px), masks);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
