package io.roadneg.datasets.sample;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.ade20k.Ade20kLabels;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ADE20K SceneParsing sample ({@code ADEChallengeData2016}): outdoor and indoor scenes drawn from polygons with
 * the real 150-class indices, JPEG images, 8-bit annotations and an {@code objectInfo150.csv} whose names and stuff
 * flags are the real ones and whose Ratio/Train/Val columns are measured on the sample itself.
 */
final class Ade20kSample {
    private Ade20kSample() {
    }

    static int write(Path out, SampleDataOptions o, Progress progress, Map<String, Path> roots,
            Map<String, Integer> counts) {
        Path root = out.resolve("ADEChallengeData2016");
        roots.put("ade20k", root);
        double[] pixels = new double[Ade20kLabels.NUM_CLASSES + 1];
        int[] train = new int[Ade20kLabels.NUM_CLASSES + 1];
        int[] val = new int[Ade20kLabels.NUM_CLASSES + 1];
        long trainPixels = 0;
        int files = 0;
        for (String split : List.of("training", "validation")) {
            boolean isTrain = split.equals("training");
            int n = isTrain ? o.scale().adeTrain : o.scale().adeVal;
            for (int i = 0; i < n; i++) {
                String name = String.format("ADE_%s_%08d", isTrain ? "train" : "val", i + 1);
                Canvas c = scene(Seeds.splittable(o.seed(), "ade20k/" + split, i), o.scale(), i);
                AtomicFiles.write(root.resolve("images/" + split + "/" + name + ".jpg"),
                        Images.encodeJpeg(c.image(), SampleData.JPEG_QUALITY));
                LabelMap ann = c.labelMap();
                AtomicFiles.write(root.resolve("annotations/" + split + "/" + name + ".png"),
                        Images.encodePng(ann, SampleData.PNG_LEVEL, Map.of()));
                boolean[] present = new boolean[Ade20kLabels.NUM_CLASSES + 1];
                for (int v : ann.data()) {
                    present[v] = true;
                    if (isTrain) {
                        pixels[v]++;
                    }
                }
                if (isTrain) {
                    trainPixels += ann.data().length;
                }
                for (int k = 1; k <= Ade20kLabels.NUM_CLASSES; k++) {
                    if (present[k]) {
                        (isTrain ? train : val)[k]++;
                    }
                }
                files += 2;
                progress.step(1);
            }
            counts.put("ade20k/" + split, n);
        }
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = trainPixels == 0 ? 0 : pixels[k] / trainPixels;
        }
        AtomicFiles.write(root.resolve("objectInfo150.csv"),
                Ade20kLabels.standard(pixels, train, val).toCsv().getBytes(StandardCharsets.UTF_8));
        return files + 1;
    }

    private static int idx(String shortName) {
        int i = Ade20kLabels.standardIndex(shortName);
        if (i < 0) {
            throw new IllegalStateException("no ADE20K class " + shortName);
        }
        return i;
    }

    private static Canvas scene(SplittableRandom rng, SampleScale scale, int index) {
        int[][] sizes = scale == SampleScale.FULL ? new int[][] {{683, 512}, {512, 683}, {512, 384}}
                : new int[][] {{384, 288}, {288, 384}, {320, 240}};
        int[] s = sizes[index % sizes.length];
        int w = s[0];
        int h = s[1];
        Canvas c = new Canvas(w, h, rng.nextLong(), 0.9 + 0.2 * rng.nextDouble(), new double[] {1, 1, 1});
        if (index % 2 == 0) {
            outdoor(c, rng, w, h);
        } else {
            indoor(c, rng, w, h);
        }
        return c;
    }

    private static void put(Canvas c, double[] ring, String cls, Material m) {
        c.fill(Shapes.one(ring), cls == null ? 0 : idx(cls), 0, 0, m);
    }

    /** An odd object under its ADE20K class: animal, box, ball (a tyre is the nearest) or the unlabelled "other". */
    private static void odd(Canvas c, SplittableRandom rng, OddObjects.Kind kind, double cx, double cy, double rx,
            double ry) {
        OddObjects.Drawn d = OddObjects.flat(rng, kind, cx, cy, rx, ry, true);
        String cls = switch (kind) {
            case ANIMAL -> "animal";
            case BOX -> "box";
            case TYRE -> "ball";
            case DEBRIS -> null;
        };
        c.fill(d.rings(), cls == null ? 0 : idx(cls), 0, 0, d.material());
        if (d.detail() != null) {
            c.paint(Shapes.one(d.detail()), OddObjects.TAPE);
        }
    }

    private static void outdoor(Canvas c, SplittableRandom rng, int w, int h) {
        double hz = h * (0.4 + 0.15 * rng.nextDouble());
        put(c, Shapes.rect(0, 0, w, h), "sky", Material.jittered(rng, 0x80a8d8, 16).withBlotch(0.1, 40)
                .withShade(0.9, 1.15));
        double[] ridge = new double[2 * 12 + 4];
        for (int i = 0; i < 12; i++) {
            ridge[2 * i] = w * i / 11.0;
            ridge[2 * i + 1] = hz - h * (0.05 + 0.15 * rng.nextDouble());
        }
        ridge[24] = w;
        ridge[25] = hz + 1;
        ridge[26] = 0;
        ridge[27] = hz + 1;
        put(c, ridge, "mountain", Material.jittered(rng, 0x6a7a6a, 16).withBlotch(0.3, 12));
        put(c, Shapes.rect(0, hz, w, h), "grass", Material.jittered(rng, 0x5a8a3a, 16).withBlotch(0.35, 4));
        for (int b = 0; b < 1 + rng.nextInt(3); b++) {
            double x0 = w * rng.nextDouble() * 0.8;
            double bw = w * (0.12 + 0.15 * rng.nextDouble());
            double top = hz - h * (0.15 + 0.25 * rng.nextDouble());
            put(c, Shapes.rect(x0, top, x0 + bw, hz + h * 0.05), "building",
                    Material.jittered(rng, 0xb09a80, 30).withShade(1.1, 0.9));
            for (double y = top + 4; y + 8 < hz; y += 12) {
                for (double x = x0 + 4; x + 6 < x0 + bw; x += 10) {
                    c.paint(Shapes.one(Shapes.rect(x, y, x + 5, y + 7)), Material.of(0x303a44));
                }
            }
        }
        double roadTop = hz + h * 0.02;
        put(c, new double[] {w * 0.45, roadTop, w * 0.55, roadTop, w * 0.95, h, w * 0.05, h}, "road",
                Material.jittered(rng, 0x606064, 10).withGrain(14));
        put(c, new double[] {w * 0.55, roadTop, w * 0.6, roadTop, w, h * 0.92, w, h, w * 0.95, h}, "sidewalk",
                Material.jittered(rng, 0xa09890, 10));
        for (int t = 0; t < 2 + rng.nextInt(3); t++) {
            double x = w * rng.nextDouble();
            double r = h * (0.06 + 0.08 * rng.nextDouble());
            put(c, Shapes.rect(x - r * 0.12, hz - r, x + r * 0.12, hz + r * 0.4), "tree", Material.of(0x4a3526));
            put(c, Shapes.blob(rng, x, hz - r * 1.3, r, r * 1.1, 16, 0.2), "tree",
                    Material.jittered(rng, 0x3a6a2a, 14).withBlotch(0.5, 2.5).withGrain(16));
        }
        double cx = w * (0.3 + 0.3 * rng.nextDouble());
        double cy = roadTop + (h - roadTop) * 0.5;
        double cw = w * 0.14;
        put(c, Shapes.hull(new double[] {cx - cw, cy, cx + cw, cy, cx + cw, cy - cw * 0.45, cx - cw, cy - cw * 0.45,
            cx - cw * 0.6, cy - cw * 0.8, cx + cw * 0.5, cy - cw * 0.8}), "car",
                Material.jittered(rng, 0x8a1a1a, 40).withShade(1.2, 0.8));
        // animals, boxes and rubbish on the ground: real ADE20K scenes are cluttered with things
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
            double ox = w * (0.1 + 0.8 * rng.nextDouble());
            double r = w * (0.06 + 0.08 * rng.nextDouble());
            double oy = hz + (h - hz) * (0.2 + 0.6 * rng.nextDouble());
            OddObjects.Kind kind = OddObjects.Kind.values()[rng.nextInt(OddObjects.Kind.values().length)];
            odd(c, rng, kind, ox, oy - r * 0.5, r, r * 0.6);
        }
        // an unlabelled patch ("other", value 0), as real annotations have
        put(c, Shapes.blob(rng, w * 0.1, h * 0.9, w * 0.05, h * 0.04, 10, 0.3), null, Material.of(0x7a6a50));
    }

    private static void indoor(Canvas c, SplittableRandom rng, int w, int h) {
        double ceil = h * (0.12 + 0.08 * rng.nextDouble());
        double floor = h * (0.62 + 0.1 * rng.nextDouble());
        put(c, Shapes.rect(0, 0, w, h), "wall", Material.jittered(rng, 0xd8ccb4, 24).withBlotch(0.08, 30));
        put(c, new double[] {0, 0, w, 0, w * 0.9, ceil, w * 0.1, ceil}, "ceiling",
                Material.jittered(rng, 0xeeeae4, 8).withShade(0.8, 1.0));
        put(c, new double[] {w * 0.1, floor, w * 0.9, floor, w, h, 0, h}, "floor",
                Material.jittered(rng, 0x8a6040, 20).withBlotch(0.25, 3));
        double wx = w * (0.15 + 0.3 * rng.nextDouble());
        put(c, Shapes.rect(wx, ceil + h * 0.08, wx + w * 0.2, ceil + h * 0.3), "windowpane",
                Material.jittered(rng, 0xb8d4f0, 10).withShade(1.1, 0.9));
        double dx = w * (0.65 + 0.15 * rng.nextDouble());
        put(c, Shapes.rect(dx, floor - h * 0.42, dx + w * 0.12, floor), "door",
                Material.jittered(rng, 0x7a5030, 20).withShade(1.1, 0.9));
        put(c, Shapes.rect(w * 0.08, ceil + h * 0.1, w * 0.16, ceil + h * 0.2), "painting",
                Material.jittered(rng, 0x3050a0, 60).withBlotch(0.6, 3));
        put(c, new double[] {w * 0.3, floor + h * 0.05, w * 0.75, floor + h * 0.05, w * 0.85, h * 0.97, w * 0.2,
            h * 0.97}, "rug", Material.jittered(rng, 0x902828, 40).withBlotch(0.4, 2));
        double tx = w * (0.3 + 0.15 * rng.nextDouble());
        double ty = floor + h * 0.02;
        put(c, Shapes.rect(tx, ty - h * 0.16, tx + w * 0.3, ty - h * 0.13), "table", Material.of(0x5a3a20));
        put(c, Shapes.rect(tx + 4, ty - h * 0.13, tx + 8, ty + h * 0.08), "table", Material.of(0x4a2e18));
        put(c, Shapes.rect(tx + w * 0.3 - 8, ty - h * 0.13, tx + w * 0.3 - 4, ty + h * 0.08), "table",
                Material.of(0x4a2e18));
        double chx = tx - w * 0.08;
        put(c, new double[] {chx, ty - h * 0.25, chx + w * 0.02, ty - h * 0.25, chx + w * 0.02, ty - h * 0.08,
            chx + w * 0.08, ty - h * 0.08, chx + w * 0.08, ty + h * 0.1, chx + w * 0.065, ty + h * 0.1,
            chx + w * 0.065, ty - h * 0.05, chx + w * 0.015, ty - h * 0.05, chx + w * 0.015, ty + h * 0.1, chx,
            ty + h * 0.1}, "chair", Material.jittered(rng, 0x303840, 30));
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
            double r = w * (0.05 + 0.07 * rng.nextDouble());
            OddObjects.Kind kind = rng.nextBoolean() ? OddObjects.Kind.BOX : rng.nextBoolean()
                    ? OddObjects.Kind.ANIMAL : OddObjects.Kind.TYRE;
            odd(c, rng, kind, w * (0.1 + 0.8 * rng.nextDouble()), floor + (h - floor) * rng.nextDouble() * 0.7 - r * 0.3,
                    r, r * 0.7);
        }
        double lx = w * 0.9;
        put(c, new double[] {lx - w * 0.04, ceil + h * 0.2, lx + w * 0.04, ceil + h * 0.2, lx + w * 0.025,
            ceil + h * 0.12, lx - w * 0.025, ceil + h * 0.12}, "lamp", Material.of(0xf0e0a0).withGrain(4));
    }
}
