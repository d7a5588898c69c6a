package io.roadneg.generators.masks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.coco.CocoAnnotation;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.coco.Segmentation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxPromptedMasksTest {
    @Test
    void annotationBoxesBecomePrompterMasks() {
        SyntheticScenes.Scene s = SyntheticScenes.make(11, 180, 140, 3);
        List<CocoAnnotation> anns = new ArrayList<>();
        for (Rle m : s.masks()) {
            anns.add(new CocoAnnotation(anns.size() + 1, 1, 18, new Segmentation.CompressedRle(m), m.area(), m.bbox(),
                    false, Double.NaN));
        }
        // no bbox, and a bbox outside the image: both answered with an empty mask, not an exception
        Rle any = s.masks().get(0);
        anns.add(new CocoAnnotation(90, 1, 18, new Segmentation.CompressedRle(any), any.area(), null, false,
                Double.NaN));
        anns.add(new CocoAnnotation(91, 1, 18, new Segmentation.CompressedRle(any), any.area(),
                new double[] {500, 500, 20, 20}, false, Double.NaN));

        List<Rle> out = new BoxPromptedMasks(new GrabCutSegmenter(GrabCutSegmenter.Options.DEFAULT))
                .forAnnotations(s.image(), anns);

        assertEquals(anns.size(), out.size());
        for (int i = 0; i < s.masks().size(); i++) {
            assertEquals(140, out.get(i).height());
            assertEquals(180, out.get(i).width());
            double iou = MaskQuality.iou(out.get(i), s.masks().get(i));
            assertTrue(iou > 0.8, "mask " + i + " IoU " + iou);
        }
        assertEquals(0, out.get(s.masks().size()).area());
        assertEquals(0, out.get(s.masks().size() + 1).area());
    }
}
