package io.roadneg.generators.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.Progress;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.PastePlanner;
import io.roadneg.generators.Presets;
import io.roadneg.datasets.ade20k.Ade20kSceneParsing;
import io.roadneg.datasets.coco.CocoCategories;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.pasting.ObjectTransforms;
import io.roadneg.pasting.PasteObject;
import io.roadneg.pasting.Placement;
import io.roadneg.pasting.RoadGeometry;
import io.roadneg.pasting.Scene;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {
    @TempDir
    static Path sample;

    @BeforeAll
    static void makeSampleData() {
        SampleData.generate(SampleDataOptions.small(sample, 11), Progress.NONE);
        MetaOodPreparer.run(MetaOodPreparer.Options.defaults(sample.resolve("coco"), "train", sample.resolve("coco")),
                Progress.NONE);
    }

    private static CocoSource coco(String preset, Map<String, String> set) {
        PasteConfig c = Presets.load(preset, null, set);
        return CocoSource.open(sample.resolve("coco"), sample.resolve("coco"), (CocoSourceConfig) c.source());
    }

    @Test
    void rplCutOutsFitTheCentreCropAndAreReproducible() {
        CocoSource s = coco("rpl", Map.of());
        assertTrue(s.size() > 0);
        Random rng = new Random(1);
        for (int i = 0; i < 10; i++) {
            int item = rng.nextInt(s.size());
            Map<String, Object> d = s.draw(item, rng);
            assertTrue(java.util.List.of(0.25, 0.5, 0.75, 0.1, 0.125).contains((Double) d.get("rescale")));
            PasteObject o = s.load(item, d);
            if (o != null) {
                assertTrue(o.rgb().width() <= 700 && o.rgb().height() <= 700);
                assertEquals(o.area(), s.load(item, d).area(), "load is deterministic");
                assertEquals(CocoSource.UNION_CATEGORY, o.categoryId());
            }
        }
    }

    /**
     * Meta-OOD keeps the COCO images that have no annotation, with an empty mask: such a draw gives no object, and
     * its image is not decoded (a truncated file passes), though its declared size is still checked against the
     * mask's; a truncated image with an outlier in its mask is a bad source.
     */
    @Test
    void anEmptyMetaOodMaskGivesNoObjectWithoutDecodingTheImage(@TempDir Path dir) throws Exception {
        Path coco = dir.resolve("coco");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(sample.resolve("coco"))) {
            for (Path f : files.toList()) {
                Path to = coco.resolve(sample.resolve("coco").relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(to);
                } else {
                    java.nio.file.Files.copy(f, to);
                }
            }
        }
        PasteConfig c = Presets.load("pebal", null, Map.of());
        CocoSource s = CocoSource.open(coco, coco, (CocoSourceConfig) c.source());
        int empty = -1;
        int full = -1;
        for (int i = 0; i < s.size(); i++) {
            String id = s.itemId(i).substring(s.itemId(i).lastIndexOf(':') + 1);
            LabelMap m = io.roadneg.datasets.image.Images.readLabel(MetaOodPreparer.maskFolder(coco, "train")
                    .resolve(id + ".png"));
            boolean any = java.util.Arrays.stream(m.data()).anyMatch(v -> v == 254);
            if (!any && empty < 0) {
                empty = i;
            } else if (any && full < 0) {
                full = i;
            }
        }
        assertTrue(empty >= 0 && full >= 0, "the sample has an image without annotations and one with");
        assertTrue(s.load(empty, Map.of()) == null);
        assertNotNull(s.load(full, Map.of()));
        for (int i : new int[] {empty, full}) {
            Path jpg = coco.resolve("train2017").resolve(s.itemId(i).substring(s.itemId(i).lastIndexOf(':') + 1)
                    + ".jpg");
            byte[] b = java.nio.file.Files.readAllBytes(jpg);
            java.nio.file.Files.write(jpg, java.util.Arrays.copyOf(b, b.length / 2));
        }
        assertTrue(s.load(empty, Map.of()) == null, "the empty mask's truncated image is not decoded");
        int fullItem = full;
        io.roadneg.datasets.InputException bad = assertThrows(io.roadneg.datasets.InputException.class,
                () -> s.load(fullItem, Map.of()));
        assertTrue(bad.getMessage().contains(".jpg"), bad.getMessage());
        // the empty mask's image declaring another size: refused, naming the mask
        Path emptyJpg = coco.resolve("train2017").resolve(s.itemId(empty).substring(s.itemId(empty)
                .lastIndexOf(':') + 1) + ".jpg");
        java.nio.file.Files.write(emptyJpg, io.roadneg.datasets.hostile.Crafted.jpeg(33, 17, false));
        int emptyItem = empty;
        io.roadneg.datasets.InputException size = assertThrows(io.roadneg.datasets.InputException.class,
                () -> s.load(emptyItem, Map.of()));
        assertTrue(size.getMessage().contains("Meta-OOD mask size differs from its image's 33x17"),
                size.getMessage());
    }

    @Test
    void instancesComeOnlyFromMetaOodKeptImagesAndSmallOnesAreUnusable() {
        CocoSource s = coco("road-obstacles", Map.of());
        assertTrue(s.size() > 0);
        for (String name : s.categories().values()) {
            assertTrue(!CocoCategories.META_OOD_EXCLUDED.contains(name), name);
        }
        PasteObject o = s.load(0, Map.of());
        assertNotNull(o);
        assertTrue(o.area() >= 64);
        CocoSource huge = coco("road-obstacles", Map.of("source.minArea", "100000000"));
        PastePlanner planner = new PastePlanner(Presets.load("road-obstacles", null, Map.of()), huge);
        Scene scene = roadScene();
        assertThrows(PastePlanner.NoUsableObjectException.class, () -> planner.plan(1, 0, "x", "train", scene));
    }

    @Test
    void boxPromptedMasksReplaceTheAnnotationMasks() {
        CocoSource ann = coco("road-obstacles", Map.of());
        CocoSource box = coco("road-obstacles", Map.of("source.maskFrom", "box"));
        assertEquals(ann.size(), box.size());
        assertTrue(box.itemId(0).endsWith("@box"), "provenance says where the mask came from");
        int compared = 0;
        double ratioSum = 0;
        for (int i = 0; i < Math.min(6, ann.size()); i++) {
            PasteObject a = ann.load(i, Map.of());
            PasteObject b = box.load(i, Map.of());
            if (a == null || b == null) {
                continue;
            }
            // both are cut to their own mask's box, so compare the areas
            double ratio = (double) Math.min(a.area(), b.area()) / Math.max(a.area(), b.area());
            ratioSum += ratio;
            compared++;
        }
        box.close();
        assertTrue(compared > 0);
        assertTrue(ratioSum / compared > 0.7, "GrabCut mask areas are close to the annotations: " + ratioSum / compared);
        io.roadneg.datasets.InputException e = assertThrows(io.roadneg.datasets.InputException.class,
                () -> Presets.load("pebal", null, Map.of("source.maskFrom", "box")));
        assertTrue(e.getMessage().contains("maskFrom box needs source.mode instance"), e.getMessage());
    }

    @Test
    void denseHybridPatchesAreRectanglesOrClassUnionsInsideTheCrop() {
        PasteConfig c = Presets.load("densehybrid-ade20k", null, Map.of());
        Ade20kSource s = new Ade20kSource(new Ade20kSceneParsing(sample.resolve("ade20k/ADEChallengeData2016")),
                (Ade20kSourceConfig) c.source());
        Random rng = new Random(2);
        int rects = 0;
        int unions = 0;
        for (int i = 0; i < 30; i++) {
            int item = rng.nextInt(s.size());
            Map<String, Object> d = s.draw(item, rng);
            PasteObject o = s.load(item, d);
            if (o == null) {
                continue;
            }
            assertTrue(o.rgb().width() <= 192 && o.rgb().height() <= 192);
            if ("rect".equals(d.get("mask"))) {
                rects++;
                int w = (Integer) d.get("rectW");
                assertEquals(0, (w - 16) % 8, "sides are 16, 24, ...");
                assertTrue(w < 192);
            } else {
                unions++;
            }
        }
        assertTrue(rects > 5 && unions > 5, rects + " rectangles, " + unions + " class unions");
    }

    @Test
    void patchesHaveTheDrawnSize() {
        PasteConfig c = Presets.load("noisy-patches", null, Map.of());
        PatchSource s = new PatchSource(sample.resolve("ade20k/ADEChallengeData2016/images"),
                (PatchSourceConfig) c.source());
        Map<String, Object> d = s.draw(0, new Random(3));
        PasteObject o = s.load(0, d);
        assertEquals(d.get("w"), o.rgb().width());
        assertEquals(o.rgb().width() * o.rgb().height(), o.area());
        assertEquals(0, s.indexOf(s.itemId(0)));
    }

    private static Scene roadScene() {
        int w = 400;
        int h = 200;
        LabelMap train = LabelMap.filled(w, h, 2);
        for (int y = 80; y < h; y++) {
            int half = 2 * (y - 60); // road vanishes at row 60
            for (int x = Math.max(0, 200 - half); x < Math.min(w, 200 + half); x++) {
                train.set(x, y, 0);
            }
        }
        return new Scene(RgbImage.blank(w, h), train, null, null);
    }

    @Test
    void roadPlacementIsPerspectiveScaledAndStandsOnTheRoad() {
        CocoSource s = coco("road-obstacles", Map.of());
        PasteConfig c = Presets.load("road-obstacles", null, Map.of("placement.objects", "[1, 1]",
                "placement.flipProbability", "0"));
        PastePlanner planner = new PastePlanner(c, s);
        Scene scene = roadScene();
        assertEquals(60.0, RoadGeometry.fit(scene.trainIds(), new int[] {0}).horizon(), 1e-6);
        for (int i = 0; i < 20; i++) {
            PastePlanner.Planned p = planner.plan(7, i, "x", "train", scene);
            Placement pl = p.plan().placements().get(0);
            PasteObject o = p.objects().get(0);
            int[] size = ObjectTransforms.outputSize(o.rgb().width(), o.rgb().height(), pl.scale(), 0);
            int bottom = pl.y() + size[1] - 1;
            int centre = pl.x() + size[0] / 2;
            assertEquals(0, scene.trainIds().get(centre, bottom), "the object stands on a road pixel");
            double ratio = size[1] / (double) (bottom - 60);
            assertTrue(ratio > 0.08 - 0.02 && ratio < 0.4 + 0.02, "height / (row - horizon) = " + ratio);
        }
    }

    /**
     * Recipes state pixel sizes for 2048-wide Cityscapes frames: on a 512-wide scene the same draws give a quarter of
     * the scale and a quarter-size crop window; referenceWidth 0 keeps them absolute.
     */
    @Test
    void pixelSizesFollowTheDestinationWidth() {
        CocoSource s = coco("rpl", Map.of());
        Scene small = new Scene(RgbImage.blank(512, 256), LabelMap.filled(512, 256, 0), null, null);
        Scene full = new Scene(RgbImage.blank(2048, 1024), LabelMap.filled(2048, 1024, 0), null, null);
        PastePlanner relative = new PastePlanner(Presets.load("rpl", null, Map.of()), s);
        PastePlanner absolute = new PastePlanner(Presets.load("rpl", null, Map.of("placement.referenceWidth", "0")),
                s);
        int checked = 0;
        for (int i = 0; i < 12; i++) {
            Placement a = relative.plan(3, i, "x", "train", small).plan().placements().get(0);
            Placement b = relative.plan(3, i, "x", "train", full).plan().placements().get(0);
            Placement c = absolute.plan(3, i, "x", "train", small).plan().placements().get(0);
            assertEquals(a.sourceItem(), b.sourceItem(), "the same object is drawn");
            assertEquals(b.scale() / 4, a.scale(), 1e-12);
            assertEquals(b.scale(), c.scale(), 1e-12);
            // crop mode, window 700 -> 175 on the small scene: the object's box starts inside it
            assertTrue(a.x() < 512 && a.y() < 256 && a.x() > -512 && a.y() > -256);
            checked++;
        }
        assertEquals(12, checked);
    }
}
