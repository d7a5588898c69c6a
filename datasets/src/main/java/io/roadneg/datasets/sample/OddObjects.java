package io.roadneg.datasets.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Objects of kinds that no Cityscapes class covers: animals, boxes, tyres and debris. The street renderer draws them
 * in perspective as the benchmark anomalies; the COCO and ADE20K sample sets draw other instances of the same kinds
 * flat, as the real COCO and ADE20K hold dogs, suitcases, balls and rubbish. Without that overlap the sample world
 * would have no outlier-exposure signal at all: negatives that share nothing with the anomalies cannot teach anything
 * about them, while on real data they do.
 */
final class OddObjects {
    /** Kinds of odd objects. */
    enum Kind { ANIMAL, BOX, TYRE, DEBRIS }

    /** Side view of a four-legged animal, feet at y = 0, facing right, about 1.24 wide and 0.86 high. */
    static final double[] ANIMAL = {-0.5, -0.55, 0.25, -0.6, 0.35, -0.75, 0.5, -0.86, 0.62, -0.76, 0.56, -0.68,
        0.42, -0.62, 0.4, -0.36, 0.38, 0, 0.3, 0, 0.28, -0.3, -0.3, -0.3, -0.33, 0, -0.41, 0, -0.45, -0.32, -0.5, -0.4,
        -0.62, -0.33, -0.6, -0.42, -0.52, -0.5};

    /** Coat colours of the animals. */
    static final int[] COATS = {0x6b4a2a, 0x2a2420, 0xd8d0c0, 0xa07040, 0x8a8a80};
    /** Cardboard and crate colours. */
    static final int BOX_RGB = 0xb08850;
    /** Rubber. */
    static final int TYRE_RGB = 0x1e1e1e;
    /** Packing tape, the detail painted over a box. */
    static final Material TAPE = Material.of(0xd8c8a0).withGrain(6);
    /** Wood and concrete debris. */
    static final int[] DEBRIS_RGB = {0x8a6a48, 0xb0b4b8};

    /**
     * One object drawn flat.
     *
     * @param rings outline(s), filled even-odd (a tyre has its hole as a second ring)
     * @param material its surface
     * @param detail an unlabelled detail painted over it (a box's tape), or null
     */
    record Drawn(List<double[]> rings, Material material, double[] detail) {
    }

    private OddObjects() {
    }

    /** The ring mirrored about x = 0 (the animal facing left). */
    static double[] mirror(double[] ring) {
        double[] r = ring.clone();
        for (int i = 0; i < r.length; i += 2) {
            r[i] = -r[i];
        }
        return r;
    }

    /** The main colour of a new object of {@code kind}. */
    static int colour(SplittableRandom rng, Kind kind) {
        return switch (kind) {
            case ANIMAL -> COATS[rng.nextInt(COATS.length)];
            case BOX -> Material.jitter(rng, BOX_RGB, 16);
            case TYRE -> Material.jitter(rng, TYRE_RGB, 6);
            case DEBRIS -> Material.jitter(rng, DEBRIS_RGB[rng.nextInt(DEBRIS_RGB.length)], 20);
        };
    }

    /**
     * An object of {@code kind} inside the box centred at (cx, cy) with half sizes (rx, ry), seen from the side.
     * {@code holes} allows a second ring for the tyre's hole (masks can hold it, COCO polygons cannot).
     */
    static Drawn flat(SplittableRandom rng, Kind kind, double cx, double cy, double rx, double ry, boolean holes) {
        int rgb = Material.jitter(rng, colour(rng, kind), 10);
        List<double[]> rings = new ArrayList<>();
        switch (kind) {
            case ANIMAL -> {
                double s = Math.min(rx / 0.62, 2 * ry / 0.86);
                double[] unit = rng.nextBoolean() ? ANIMAL : mirror(ANIMAL);
                rings.add(Shapes.place(unit, s, s, cx, cy + 0.43 * s));
                return new Drawn(rings, Material.of(rgb).withBlotch(rng.nextInt(3) == 0 ? 0.6 : 0.2, 2 + s / 8),
                        null);
            }
            case BOX -> {
                double w = rx * (0.7 + 0.2 * rng.nextDouble());
                double h = Math.min(ry, w) * (0.6 + 0.3 * rng.nextDouble());
                double dx = w * 0.3;
                double dy = h * 0.35;
                double x0 = cx - w + dx / 2;
                double y1 = cy + (h + dy) / 2;
                double[] pts = {x0 - dx / 2, y1, x0 - dx / 2 + 2 * w - dx, y1, x0 - dx / 2, y1 - h,
                    x0 - dx / 2 + 2 * w - dx, y1 - h, x0 + dx / 2, y1 - h - dy, x0 + dx / 2 + 2 * w - dx, y1 - h - dy,
                    x0 + 2 * w - dx / 2, y1 - dy};
                rings.add(Shapes.hull(pts));
                double tx = x0 - dx / 2 + w - dx / 2;
                double[] tape = Shapes.rect(tx - w * 0.05, y1 - h, tx + w * 0.05, y1);
                return new Drawn(rings, Material.of(rgb).withShade(1.2, 0.85), tape);
            }
            case TYRE -> {
                double r = Math.min(rx, ry);
                rings.add(Shapes.ellipse(cx, cy, r * 0.9, r, 28));
                if (holes) {
                    rings.add(Shapes.ellipse(cx, cy, r * 0.45, r * 0.5, 20));
                }
                return new Drawn(rings, Material.of(rgb).withGrain(8), null);
            }
            default -> {
                rings.add(Shapes.blob(rng, cx, cy, rx * 0.7, Math.min(ry, rx) * 0.45, 14, 0.35));
                return new Drawn(rings, Material.of(rgb).withBlotch(0.4, 2).withGrain(20), null);
            }
        }
    }
}
