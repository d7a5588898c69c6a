package io.roadneg.generators.masks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.coco.CocoImage;
import io.roadneg.datasets.coco.CocoInstancesReader;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Box-prompted GrabCut masks against the true masks of the {@code gen sample-data} COCO set. */
class SampleCocoMaskQualityTest {
    @TempDir
    Path dir;

    @Test
    void grabCutMeanIouOnTheSampleCocoSet() {
        SampleData.generate(SampleDataOptions.small(dir, 0), Progress.NONE);
        Path coco = dir.resolve("coco");
        List<Double> all = new ArrayList<>();
        try (PromptableSegmenter grabcut = Prompters.open("grabcut")) {
            for (String split : List.of("train", "val")) {
                CocoInstancesReader reader = CocoInstancesReader.open(coco.resolve("annotations/instances_" + split
                        + "2017.json"));
                Map<Long, List<Rle>> truths = new LinkedHashMap<>();
                reader.forEachAnnotation((a, span) -> {
                    if (!a.iscrowd()) {
                        CocoImage im = reader.image(a.imageId());
                        truths.computeIfAbsent(a.imageId(), k -> new ArrayList<>())
                                .add(a.segmentation().toRle(im.height(), im.width()));
                    }
                });
                for (Map.Entry<Long, List<Rle>> e : truths.entrySet()) {
                    CocoImage im = reader.image(e.getKey());
                    RgbImage img = Images.readRgb(coco.resolve(split + "2017").resolve(im.fileName()));
                    all.addAll(MaskQuality.ious(grabcut, img, e.getValue()));
                }
            }
        }
        double mean = all.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf("GrabCut on the sample COCO set: mean IoU %.3f over %d masks%n", mean, all.size());
        assertTrue(all.size() >= 10, "masks compared: " + all.size());
        assertTrue(mean > 0.8, "mean IoU " + mean);
    }
}
