package io.roadneg.generators.masks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.coco.CocoAnnotation;
import io.roadneg.datasets.coco.CocoCategory;
import io.roadneg.datasets.coco.CocoImage;
import io.roadneg.datasets.coco.CocoInstancesReader;
import io.roadneg.datasets.coco.CocoInstancesWriter;
import io.roadneg.datasets.coco.PanopticReader;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.coco.Segmentation;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrabCutSegmenterTest {
    private final GrabCutSegmenter grabCut = new GrabCutSegmenter(GrabCutSegmenter.Options.DEFAULT);

    @TempDir
    Path tmp;

    /** Mean IoU on a synthetic set written and read back in the COCO layout (JPEG images, compressed RLE). */
    @Test
    void meanIouOnSyntheticCocoLayoutSet() throws IOException {
        Path root = tmp.resolve("coco");
        Files.createDirectories(root.resolve("val2017"));
        Files.createDirectories(root.resolve("annotations"));
        List<CocoImage> images = new ArrayList<>();
        List<CocoAnnotation> anns = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            SyntheticScenes.Scene s = SyntheticScenes.make(i, 200, 150, 3);
            String name = String.format("%012d.jpg", i);
            Files.write(root.resolve("val2017").resolve(name), Images.encodeJpeg(s.image(), 95));
            images.add(new CocoImage(i, 200, 150, name));
            for (Rle m : s.masks()) {
                anns.add(new CocoAnnotation(anns.size() + 1, i, 18, new Segmentation.CompressedRle(m), m.area(),
                        m.bbox(), false, Double.NaN));
            }
        }
        Path json = root.resolve("annotations/instances_val2017.json");
        CocoInstancesWriter.write(json, Map.of(), images, anns, List.of(new CocoCategory(18, "dog", "animal")));

        CocoInstancesReader reader = CocoInstancesReader.open(json);
        Map<Long, List<Rle>> truths = new HashMap<>();
        reader.forEachAnnotation((a, span) -> {
            CocoImage im = reader.image(a.imageId());
            truths.computeIfAbsent(a.imageId(), k -> new ArrayList<>())
                    .add(a.segmentation().toRle(im.height(), im.width()));
        });
        List<Double> ious = new ArrayList<>();
        for (CocoImage im : reader.images()) {
            RgbImage rgb = Images.readRgb(root.resolve("val2017").resolve(im.fileName()));
            ious.addAll(MaskQuality.ious(grabCut, rgb, truths.get(im.id())));
        }
        double mean = ious.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf("grabcut mean IoU, synthetic COCO-layout set: %.3f over %d masks%n", mean, ious.size());
        assertEquals(anns.size(), ious.size());
        assertTrue(mean > 0.85, "mean IoU " + mean);
    }

    /** Mean IoU on the thing segments of the real COCO panoptic samples (skipped without ../shared/data). */
    @Test
    void meanIouOnRealCocoPanopticThings() {
        String data = System.getProperty("roadneg.shared.data");
        Assumptions.assumeTrue(data != null, "roadneg.shared.data not set");
        Path dir = Path.of(data, "coco-val2017-panoptic");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no real COCO sample at " + dir);
        Path sample = dir.resolve("sample_data");
        PanopticReader reader = PanopticReader.open(sample.resolve("panoptic_examples.json"),
                sample.resolve("panoptic_examples"), dir.resolve("panoptic_coco_categories.json"));
        List<Double> ious = new ArrayList<>();
        List<Double> boxIous = new ArrayList<>();
        reader.forEach(entry -> {
            RgbImage rgb = Images.readRgb(sample.resolve("input_images")
                    .resolve(String.format("%012d.jpg", entry.imageId())));
            List<Rle> things = new ArrayList<>();
            for (PanopticReader.SegmentMask sm : reader.masks(entry)) {
                if (reader.isThing(sm.segment().categoryId()) && !sm.segment().iscrowd()) {
                    things.add(sm.mask());
                }
            }
            ious.addAll(MaskQuality.ious(grabCut, rgb, things));
            for (Rle t : things) {
                double[] b = t.bbox();
                boxIous.add(t.area() / (b[2] * b[3]));
            }
        });
        double mean = ious.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double boxMean = boxIous.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf("grabcut mean IoU, real COCO val2017 panoptic things: %.3f over %d masks (the box itself as"
                + " the mask: %.3f)%n", mean, ious.size(), boxMean);
        assertTrue(ious.size() >= 10, "thing segments found: " + ious.size());
        // GrabCut is a colour model: these samples are crowds of players in shared colours, so the bar is low
        assertTrue(mean > 0.4, "mean IoU " + mean);
    }

    @Test
    void negativePointRemovesItsPixelsAndPositivePointKeepsThem() {
        SyntheticScenes.Scene s = SyntheticScenes.make(7, 160, 120, 1);
        Rle truth = s.masks().get(0);
        double[] b = truth.bbox();
        Box box = Box.ofXywh(b[0], b[1], b[2], b[3]);
        int cx = (int) (b[0] + b[2] / 2);
        int cy = (int) (b[1] + b[3] / 2);
        try (PromptableSegmenter.Session session = grabCut.encode(s.image())) {
            List<PredictedMask> out = session.predict(List.of(Prompt.of(box),
                    new Prompt(box, List.of(new Prompt.Point(cx, cy, false)))));
            assertEquals(1, out.get(0).mask()[cy * 160 + cx], "box-only mask covers the object's centre");
            assertEquals(0, out.get(1).mask()[cy * 160 + cx], "negative click is background");
            for (PredictedMask m : out) {
                assertTrue(m.score() >= 0 && m.score() <= 1, "score " + m.score());
            }
        }
    }

    @Test
    void edgeBoxesAreHandled() {
        SyntheticScenes.Scene s = SyntheticScenes.make(3, 64, 48, 1);
        try (PromptableSegmenter.Session session = grabCut.encode(s.image())) {
            // a box covering the whole image has no background around it: GrabCut still needs a background ring
            List<PredictedMask> whole = session.predict(List.of(Prompt.of(new Box(0, 0, 64, 48))));
            assertTrue(whole.get(0).area() > 0);
            // a two-pixel box is too small for colour models: the box itself is the mask, with score 0
            PredictedMask tiny = session.predict(List.of(Prompt.of(new Box(10, 10, 12, 12)))).get(0);
            assertEquals(4, tiny.area());
            assertEquals(0, tiny.score());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> session.predict(List.of(Prompt.of(new Box(70, 0, 80, 10)))));
            assertTrue(e.getMessage().contains("does not overlap"), e.getMessage());
        }
    }

    @Test
    void providerParsesOptionsAndRejectsBadOnes() {
        GrabCutSegmenter g = (GrabCutSegmenter) Prompters.open("grabcut:iterations=2,margin=0.5");
        assertEquals(new GrabCutSegmenter.Options(2, 0.5, 10), g.options());
        assertEquals(GrabCutSegmenter.Options.DEFAULT, ((GrabCutSegmenter) Prompters.open("grabcut")).options());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Prompters.open("grabcut:iterations=0"))
                .getMessage().contains("iterations must be in 1..100, found 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Prompters.open("grabcut:speed=3"))
                .getMessage().contains("unknown key 'speed'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Prompters.open("sam2"))
                .getMessage().contains("available: grabcut"));
    }
}
