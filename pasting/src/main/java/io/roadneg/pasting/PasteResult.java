package io.roadneg.pasting;

import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.util.List;

/**
 * The output of compositing one plan.
 *
 * @param image the composited image
 * @param trainIds trainIds with pasted pixels set to the outlier value (254 by default)
 * @param labelIds labelIds with pasted pixels set to the configured id, or null if the scene had none
 * @param instanceIds instanceIds where pasted pixels take the outlier labelId (covered instances lose them), or null
 * @param ood anomaly label: 1 pasted, 0 inlier, 255 void; null from
 *     {@link Compositor#applyInPlaceWithoutOod}, whose caller maps the train ids ({@link Compositor#oodRows()})
 * @param instances pasted objects with their visible masks, in paint order (fully occluded ones omitted)
 */
public record PasteResult(RgbImage image, LabelMap trainIds, LabelMap labelIds, LabelMap instanceIds, LabelMap ood,
        List<PastedInstance> instances) {
}
