package io.roadneg.generators.masks;

import io.roadneg.datasets.coco.CocoAnnotation;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces annotation masks by box-prompted ones: a paste source hands over an image with its COCO annotations and
 * gets, per annotation, the mask the prompter draws from the annotation's {@code bbox} alone (the mask-quality
 * ablation of {@code --mask-from box}). The image is encoded once for all its boxes.
 */
public final class BoxPromptedMasks {
    private final PromptableSegmenter prompter;

    /** Uses {@code prompter}; the caller keeps ownership and closes it. */
    public BoxPromptedMasks(PromptableSegmenter prompter) {
        this.prompter = prompter;
    }

    /**
     * One mask per annotation, in order, each of the image's size. An annotation whose box is missing, empty or
     * outside the image gets an empty mask (area 0), which paste sources already treat as "no usable object".
     */
    public List<Rle> forAnnotations(RgbImage image, List<CocoAnnotation> annotations) {
        List<Box> boxes = new ArrayList<>(annotations.size());
        for (CocoAnnotation a : annotations) {
            double[] b = a.bbox();
            boxes.add(b == null || b.length != 4 ? null : Box.ofXywh(b[0], b[1], b[2], b[3]));
        }
        return forBoxes(image, boxes);
    }

    /** As {@link #forAnnotations}, for plain boxes (null entries allowed and answered with an empty mask). */
    public List<Rle> forBoxes(RgbImage image, List<Box> boxes) {
        int w = image.width();
        int h = image.height();
        List<Prompt> prompts = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            if (b != null && !b.isEmpty() && !b.clip(w, h).isEmpty()) {
                prompts.add(Prompt.of(b.clip(w, h)));
                at.add(i);
            }
        }
        Rle empty = new Rle(h, w, new long[] {(long) w * h});
        List<Rle> out = new ArrayList<>(boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            out.add(empty);
        }
        if (!prompts.isEmpty()) {
            try (PromptableSegmenter.Session s = prompter.encode(image)) {
                List<PredictedMask> masks = s.predict(prompts);
                for (int k = 0; k < masks.size(); k++) {
                    out.set(at.get(k), masks.get(k).toRle());
                }
            }
        }
        return out;
    }
}
