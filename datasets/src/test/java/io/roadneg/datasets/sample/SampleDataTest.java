package io.roadneg.datasets.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.ade20k.Ade20kLabels;
import io.roadneg.datasets.ade20k.Ade20kSceneParsing;
import io.roadneg.datasets.cityscapes.CityscapesLabels;
import io.roadneg.datasets.cityscapes.CityscapesLayout;
import io.roadneg.datasets.cityscapes.CityscapesLayout.FrameId;
import io.roadneg.datasets.cityscapes.CityscapesWriter;
import io.roadneg.datasets.coco.CocoCategories;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.OutputLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path out;
    static SampleDataResult result;

    @BeforeAll
    static void generate() {
        out = shared.resolve("a");
        result = SampleData.generate(SampleDataOptions.small(out, 7), Progress.NONE);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(OutputLock.FILE))
                    .sorted().toList();
        }
    }

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws IOException {
        Path again = shared.resolve("b");
        SampleData.generate(SampleDataOptions.small(again, 7), Progress.NONE);
        List<Path> a = files(out);
        List<Path> b = files(again);
        assertEquals(a.stream().map(out::relativize).toList(), b.stream().map(again::relativize).toList());
        assertEquals(result.files(), a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
        }
        // a frame drawn alone from its own seed equals the frame in the full run (no order dependence)
        StreetPlan plan = StreetPlan.sample(Seeds.splittable(7, "cityscapes/train", 3), 512, 256,
                StreetPlan.Anomalies.NONE);
        FrameId id = new FrameId("bochum", 3, 19);
        assertEquals(StreetRenderer.render(plan).labelIds(),
                Images.readLabel(CityscapesLayout.labelIds(out.resolve("cityscapes"), "train", id)));
        StreetPlan other = StreetPlan.sample(Seeds.splittable(8, "cityscapes/train", 3), 512, 256,
                StreetPlan.Anomalies.NONE);
        assertNotEquals(plan.textureSeed(), other.textureSeed());
    }

    @Test
    void cityscapesFramesFollowTheRealLayoutAndLabelRules() throws IOException {
        Path root = out.resolve("cityscapes");
        Set<Integer> seenOverall = new TreeSet<>();
        int frames = 0;
        for (String split : List.of("train", "val")) {
            for (Path img : files(root.resolve("leftImg8bit").resolve(split))) {
                FrameId id = CityscapesLayout.parseImageName(img.getFileName().toString());
                assertTrue(id != null, img.toString());
                assertTrue(Set.of("aachen", "bochum", "frankfurt").contains(id.city()));
                assertEquals(img.getParent().getFileName().toString(), id.city());
                frames++;
                RgbImage rgb = Images.readRgb(img);
                LabelMap ids = Images.readLabel(CityscapesLayout.labelIds(root, split, id));
                LabelMap train = Images.readLabel(CityscapesLayout.labelTrainIds(root, split, id));
                LabelMap inst = Images.readLabel(CityscapesLayout.instanceIds(root, split, id));
                assertEquals(8, Images.info(CityscapesLayout.labelIds(root, split, id)).getBitsPerPixel());
                assertEquals(8, Images.info(CityscapesLayout.labelTrainIds(root, split, id)).getBitsPerPixel());
                assertEquals(16, Images.info(CityscapesLayout.instanceIds(root, split, id)).getBitsPerPixel());
                assertEquals(512, rgb.width());
                assertEquals(256, rgb.height());
                assertEquals(CityscapesLabels.toTrainIds(ids), train);
                assertEquals(CityscapesWriter.colorize(ids), Images.readRgb(CityscapesLayout.color(root, split, id)));
                Set<Integer> present = new HashSet<>();
                for (int i = 0; i < ids.data().length; i++) {
                    int v = ids.data()[i];
                    present.add(v);
                    int iv = inst.data()[i];
                    if (CityscapesLabels.byId(v).hasInstances()) {
                        assertEquals(v, iv / 1000, "instance of class " + v);
                    } else {
                        assertEquals(v, iv);
                    }
                }
                for (String cls : List.of("road", "sidewalk", "building", "sky", "vegetation", "car",
                        "ego vehicle")) {
                    assertTrue(present.contains(CityscapesLabels.id(cls)), cls + " missing in " + id);
                }
                assertFalse(present.contains(CityscapesLabels.id("dynamic")), "training scenes hold no anomalies");
                seenOverall.addAll(present);
                // the polygons, filled in order, give back the labelIds exactly
                JsonNode poly = JSON.readTree(CityscapesLayout.polygons(root, split, id).toFile());
                assertEquals(256, poly.get("imgHeight").asInt());
                assertEquals(512, poly.get("imgWidth").asInt());
                int[] redrawn = new int[512 * 256];
                for (JsonNode o : poly.get("objects")) {
                    int lab = CityscapesLabels.id(o.get("label").asText());
                    List<double[]> ring = new ArrayList<>();
                    double[] r = new double[o.get("polygon").size() * 2];
                    int k = 0;
                    for (JsonNode p : o.get("polygon")) {
                        r[k++] = p.get(0).asInt();
                        r[k++] = p.get(1).asInt();
                    }
                    ring.add(r);
                    Raster.fill(ring, 512, 256, (y, x0, x1) -> {
                        for (int x = x0; x <= x1; x++) {
                            redrawn[y * 512 + x] = lab;
                        }
                    });
                }
                assertArrayEquals(ids.data(), redrawn, "polygons of " + id);
            }
        }
        assertEquals(30, frames);
        for (String cls : List.of("terrain", "pole", "traffic sign", "traffic light", "person")) {
            assertTrue(seenOverall.contains(CityscapesLabels.id(cls)), cls + " never drawn");
        }
    }

    @Test
    void classesHaveDistinctButVaryingColours() {
        StreetRenderer.StreetFrame f = StreetRenderer.render(
                StreetPlan.sample(Seeds.splittable(1, "cityscapes/train", 0), 512, 256, StreetPlan.Anomalies.NONE));
        double[] sky = meanAndSpread(f, CityscapesLabels.id("sky"));
        double[] road = meanAndSpread(f, CityscapesLabels.id("road"));
        double[] veg = meanAndSpread(f, CityscapesLabels.id("vegetation"));
        assertTrue(sky[2] > sky[0] + 20, "sky is blue");
        assertTrue(veg[1] > veg[2] + 10, "vegetation is green");
        assertTrue(Math.abs(road[0] - road[2]) < 25, "road is grey");
        for (double[] m : List.of(sky, road, veg)) {
            assertTrue(m[3] > 3, "texture: colours vary within a class");
        }
    }

    private static double[] meanAndSpread(StreetRenderer.StreetFrame f, int id) {
        double[] s = new double[3];
        double sq = 0;
        int n = 0;
        int[] ids = f.labelIds().data();
        byte[] d = f.image().data();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                for (int c = 0; c < 3; c++) {
                    s[c] += d[3 * i + c] & 0xff;
                }
                sq += Math.pow(d[3 * i + 1] & 0xff, 2);
                n++;
            }
        }
        assertTrue(n > 0, "class " + id + " present");
        double g = s[1] / n;
        return new double[] {s[0] / n, g, s[2] / n, Math.sqrt(Math.max(0, sq / n - g * g))};
    }

    @Test
    void anomalyBenchmarksHaveTheirLayoutsAndLabelValues() throws IOException {
        checkBench(out.resolve("smiyc/dataset_AnomalyTrack"), "images", "labels_masks", ".jpg",
                "_labels_semantic.png", "validation\\d{4}", Set.of(0, 1, 255), 1, 0.01);
        checkBench(out.resolve("smiyc/dataset_ObstacleTrack"), "images", "labels_masks", ".webp",
                "_labels_semantic.png", "validation_\\d{4}", Set.of(0, 1, 255), 1, 5e-4);
        checkBench(out.resolve("fishyscapes/LostAndFound"), "original", "labels", ".png", ".png", "\\d{4}",
                Set.of(0, 1, 255), 1, 5e-4);
        checkBench(out.resolve("fishyscapes/Static"), "original", "labels", ".png", ".png", "\\d{4}",
                Set.of(0, 1, 255), 1, 5e-4);
        checkBench(out.resolve("road_anomaly"), "images", "labels_masks", ".jpg", ".png", "sample\\d{2}",
                Set.of(0, 2), 2, 0.01);
    }

    private static void checkBench(Path root, String imgDir, String labDir, String imgExt, String labSuffix,
            String fidPattern, Set<Integer> allowed, int anomalyValue, double minShare) throws IOException {
        List<Path> imgs = files(root.resolve(imgDir));
        assertEquals(10, imgs.size(), root.toString());
        long anomalyPixels = 0;
        long pixels = 0;
        for (Path img : imgs) {
            String name = img.getFileName().toString();
            assertTrue(name.endsWith(imgExt), name);
            String fid = name.substring(0, name.length() - imgExt.length());
            assertTrue(fid.matches(fidPattern), fid);
            RgbImage rgb = Images.readRgb(img);
            LabelMap lab = Images.readLabel(root.resolve(labDir).resolve(fid + labSuffix));
            assertEquals(rgb.width(), lab.width());
            assertEquals(rgb.height(), lab.height());
            Set<Integer> values = new TreeSet<>();
            long frameAnomaly = 0;
            for (int v : lab.data()) {
                values.add(v);
                if (v == anomalyValue) {
                    frameAnomaly++;
                }
            }
            assertTrue(allowed.containsAll(values), fid + " has " + values);
            assertTrue(frameAnomaly > 0, fid + " of " + root + " has no anomaly pixel");
            anomalyPixels += frameAnomaly;
            pixels += lab.data().length;
        }
        // RoadAnomaly-style sets show large objects near the camera, obstacle sets small ones far ahead
        assertTrue(anomalyPixels >= minShare * pixels, root + ": anomaly share " + (double) anomalyPixels / pixels);
    }

    @Test
    void cocoSetHasRealCategoriesAllSegmentationFormsAndMetaOodCases() throws IOException {
        Path root = out.resolve("coco");
        for (String split : List.of("train", "val")) {
            JsonNode j = JSON.readTree(root.resolve("annotations/instances_" + split + "2017.json").toFile());
            assertEquals(80, j.get("categories").size());
            Set<Long> annotated = new HashSet<>();
            Set<Long> withExcluded = new HashSet<>();
            Set<String> forms = new TreeSet<>();
            for (JsonNode a : j.get("annotations")) {
                annotated.add(a.get("image_id").asLong());
                String cat = CocoCategories.byId(a.get("category_id").asInt()).orElseThrow().name();
                if (CocoCategories.META_OOD_EXCLUDED.contains(cat)) {
                    withExcluded.add(a.get("image_id").asLong());
                }
                JsonNode seg = a.get("segmentation");
                if (seg.isArray()) {
                    forms.add("polygon");
                    assertEquals(0, a.get("iscrowd").asInt());
                } else {
                    int h = seg.get("size").get(0).asInt();
                    int w = seg.get("size").get(1).asInt();
                    Rle rle;
                    if (seg.get("counts").isArray()) {
                        forms.add("rle");
                        assertEquals(1, a.get("iscrowd").asInt());
                        long[] c = new long[seg.get("counts").size()];
                        for (int i = 0; i < c.length; i++) {
                            c[i] = seg.get("counts").get(i).asLong();
                        }
                        rle = new Rle(h, w, c);
                    } else {
                        forms.add("compressed");
                        rle = Rle.fromCompressedString(seg.get("counts").asText(), h, w);
                    }
                    assertEquals(rle.area(), a.get("area").asDouble(), 0.0);
                    assertTrue(rle.area() > 0);
                }
            }
            assertEquals(Set.of("polygon", "rle", "compressed"), forms, split);
            boolean keptEmptyLarge = false;
            boolean small = false;
            for (JsonNode img : j.get("images")) {
                Path f = root.resolve(split + "2017").resolve(img.get("file_name").asText());
                assertEquals(String.format("%012d.jpg", img.get("id").asLong()), f.getFileName().toString());
                RgbImage rgb = Images.readRgb(f);
                assertEquals(img.get("width").asInt(), rgb.width());
                assertEquals(img.get("height").asInt(), rgb.height());
                long id = img.get("id").asLong();
                boolean large = rgb.width() >= 480 && rgb.height() >= 480;
                keptEmptyLarge |= large && !annotated.contains(id);
                small |= !large;
            }
            assertTrue(keptEmptyLarge, "a kept image without annotations");
            assertTrue(small, "an image below 480 px");
            assertFalse(withExcluded.isEmpty(), "images with Meta-OOD excluded classes");
        }
    }

    @Test
    void ade20kSampleReadsBackWithTheStandardTable() {
        Ade20kSceneParsing ade = new Ade20kSceneParsing(out.resolve("ade20k/ADEChallengeData2016"));
        assertEquals(List.of("training", "validation"), ade.splits());
        assertEquals(12, ade.pairs("training").size());
        assertEquals(4, ade.pairs("validation").size());
        Ade20kLabels labels = ade.labels();
        for (int i = 1; i <= 150; i++) {
            assertEquals(Ade20kLabels.NAMES.get(i - 1), labels.byIdx(i).name());
        }
        assertTrue(labels.byShortName("wall").orElseThrow().train() > 0, "walls are drawn in training scenes");
        Set<Integer> values = new TreeSet<>();
        for (Ade20kSceneParsing.Pair p : ade.pairs("training")) {
            LabelMap m = p.readAnnotation();
            RgbImage img = Images.readRgb(p.image());
            assertEquals(img.width(), m.width());
            for (int v : m.data()) {
                values.add(v);
            }
        }
        assertTrue(values.containsAll(Set.of(0, 1, 2, 3, 4, 5, 7)), values.toString());
    }

    @Test
    void readmeAndResultDescribeTheOutput() throws IOException {
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("cityscapes/") && readme.contains("smiyc/dataset_ObstacleTrack/"));
        assertEquals(24, result.counts().get("cityscapes/train"));
        assertEquals(out.resolve("coco"), result.roots().get("coco"));
    }
}
