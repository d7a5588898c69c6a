package io.roadneg.datasets.sample;

import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.util.List;

/**
 * A picture and its label layers drawn together from the same polygons: {@link #fill} writes the class, the instance
 * id, a mark (anomaly) value and textured colour for exactly the same pixels, so image and labels always agree.
 * {@link #paint} adds image-only detail (windows, lane markings, wheels) that does not change any label.
 */
final class Canvas {
    final int width;
    final int height;
    final byte[] rgb;
    final int[] labels;
    final int[] instances;
    final int[] marks;
    private final long seed;
    private final double light;
    private final double[] tint;

    /**
     * @param seed texture seed of this picture
     * @param light global brightness factor (time of day / exposure)
     * @param tint per-channel colour factor (white balance)
     */
    Canvas(int width, int height, long seed, double light, double[] tint) {
        this.width = width;
        this.height = height;
        this.rgb = new byte[width * height * 3];
        this.labels = new int[width * height];
        this.instances = new int[width * height];
        this.marks = new int[width * height];
        this.seed = seed;
        this.light = light;
        this.tint = tint.clone();
    }

    /** Fills every layer: label, instance id, mark and colour. */
    void fill(List<double[]> rings, int label, int instance, int mark, Material m) {
        double[] box = bounds(rings);
        long texSeed = Seeds.mix(seed + m.rgb());
        Raster.fill(rings, width, height, (y, x0, x1) -> {
            for (int x = x0; x <= x1; x++) {
                int i = y * width + x;
                labels[i] = label;
                instances[i] = instance;
                marks[i] = mark;
                shade(i, x, y, m, box, texSeed);
            }
        });
    }

    /** Colours the pixels only; labels stay as they are. */
    void paint(List<double[]> rings, Material m) {
        double[] box = bounds(rings);
        long texSeed = Seeds.mix(seed + m.rgb());
        Raster.fill(rings, width, height, (y, x0, x1) -> {
            for (int x = x0; x <= x1; x++) {
                shade(y * width + x, x, y, m, box, texSeed);
            }
        });
    }

    /** Colours the pixels of the rings that belong to {@code instance} (detail clipped to one object). */
    void paintWithin(List<double[]> rings, int instance, Material m) {
        double[] box = bounds(rings);
        long texSeed = Seeds.mix(seed + m.rgb());
        Raster.fill(rings, width, height, (y, x0, x1) -> {
            for (int x = x0; x <= x1; x++) {
                int i = y * width + x;
                if (instances[i] == instance) {
                    shade(i, x, y, m, box, texSeed);
                }
            }
        });
    }

    private void shade(int i, int x, int y, Material m, double[] box, long texSeed) {
        double span = Math.max(1, box[3] - box[1]);
        double t = Math.min(1, Math.max(0, (y - box[1]) / span));
        double f = (m.top() + (m.bottom() - m.top()) * t) * light;
        double blot = 1 + m.blotch() * (Noise.smooth(texSeed, x / m.cell(), y / m.cell()) - 0.5) * 2;
        double grain = m.grain() * (Noise.hash01(texSeed, x, y) - 0.5) * 2;
        int c = m.rgb();
        rgb[3 * i] = (byte) Material.clamp((c >>> 16 & 0xff) * f * blot * tint[0] + grain);
        rgb[3 * i + 1] = (byte) Material.clamp((c >>> 8 & 0xff) * f * blot * tint[1] + grain);
        rgb[3 * i + 2] = (byte) Material.clamp((c & 0xff) * f * blot * tint[2] + grain);
    }

    private static double[] bounds(List<double[]> rings) {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] r : rings) {
            for (int i = 0; i + 1 < r.length; i += 2) {
                b[0] = Math.min(b[0], r[i]);
                b[1] = Math.min(b[1], r[i + 1]);
                b[2] = Math.max(b[2], r[i]);
                b[3] = Math.max(b[3], r[i + 1]);
            }
        }
        return b;
    }

    RgbImage image() {
        return new RgbImage(width, height, rgb.clone());
    }

    LabelMap labelMap() {
        return new LabelMap(width, height, labels.clone());
    }

    LabelMap instanceMap() {
        return new LabelMap(width, height, instances.clone());
    }

    LabelMap markMap() {
        return new LabelMap(width, height, marks.clone());
    }
}
