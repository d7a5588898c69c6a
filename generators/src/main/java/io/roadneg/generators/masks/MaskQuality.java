package io.roadneg.generators.masks;

import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Mask quality of a prompter: each true mask's tight box prompts, and the answer is compared with the true mask by
 * IoU. This is the number to quote for a prompter on a dataset (and the ablation baseline of {@code --mask-from box}).
 */
public final class MaskQuality {
    private MaskQuality() {
    }

    /** IoU of two masks of the same size (1 when both are empty). */
    public static double iou(Rle a, Rle b) {
        byte[] x = a.toRowMajor();
        byte[] y = b.toRowMajor();
        if (x.length != y.length) {
            throw new IllegalArgumentException("mask sizes differ: " + a + " vs " + b);
        }
        long inter = 0;
        long union = 0;
        for (int i = 0; i < x.length; i++) {
            inter += x[i] & y[i];
            union += x[i] | y[i];
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    /** Per-mask IoUs on one image, prompting with the tight box of each non-empty true mask. */
    public static List<Double> ious(PromptableSegmenter prompter, RgbImage image, List<Rle> truths) {
        List<Box> boxes = new ArrayList<>();
        List<Rle> kept = new ArrayList<>();
        for (Rle t : truths) {
            if (t.area() > 0) {
                double[] b = t.bbox();
                boxes.add(Box.ofXywh(b[0], b[1], b[2], b[3]));
                kept.add(t);
            }
        }
        List<Rle> predicted = new BoxPromptedMasks(prompter).forBoxes(image, boxes);
        List<Double> out = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            out.add(iou(predicted.get(i), kept.get(i)));
        }
        return out;
    }
}
