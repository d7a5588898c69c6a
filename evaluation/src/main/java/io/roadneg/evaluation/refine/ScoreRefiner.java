package io.roadneg.evaluation.refine;

import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.masks.Box;
import io.roadneg.generators.masks.PredictedMask;
import io.roadneg.generators.masks.Prompt;
import io.roadneg.generators.masks.PromptableSegmenter;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * S2M-style refinement of an anomaly score map: threshold it, take each connected component's bounding box as a box
 * prompt, and paint the prompter's masks with the box's score (the component's highest score). Pixels outside every
 * mask keep their score capped at the threshold, so they still rank among themselves but below every mask: AP and
 * FPR95 computed on the refined map stay meaningful.
 */
public final class ScoreRefiner {
    private final Options options;

    /**
     * Refinement settings.
     *
     * @param threshold scores at or above it are anomalous
     * @param minArea components smaller than this (pixels) are noise and give no box
     * @param maxBoxes at most this many boxes per frame, highest scores first
     */
    public record Options(double threshold, int minArea, int maxBoxes) {
        /** Validates the values. */
        public Options {
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("threshold must be finite, found " + threshold);
            }
            if (minArea < 1) {
                throw new IllegalArgumentException("minArea must be positive, found " + minArea);
            }
            if (maxBoxes < 1) {
                throw new IllegalArgumentException("maxBoxes must be positive, found " + maxBoxes);
            }
        }
    }

    /**
     * A refined frame.
     *
     * @param values the refined scores, row-major
     * @param boxes the boxes that prompted, with their scores
     */
    public record Refined(float[] values, List<ScoredBox> boxes) {
    }

    /** A box taken from a component and the score its mask pixels get. */
    public record ScoredBox(Box box, float score) {
    }

    /** Refines with these settings. */
    public ScoreRefiner(Options options) {
        this.options = options;
        OpenCv.ensureLoaded();
    }

    /** Boxes of the score map's components above the threshold, highest score first. */
    public List<ScoredBox> boxes(float[] scores, int width, int height) {
        if (scores.length != width * height) {
            throw new IllegalArgumentException("scores: " + scores.length + " values for " + width + "x" + height);
        }
        byte[] bin = new byte[scores.length];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) (scores[i] >= options.threshold() ? 1 : 0);
        }
        Mat m = new Mat(height, width, CvType.CV_8UC1);
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        try {
            m.put(0, 0, bin);
            int n = Imgproc.connectedComponentsWithStats(m, labels, stats, centroids, 8, CvType.CV_32S);
            int[] lab = new int[scores.length];
            labels.get(0, 0, lab);
            float[] best = new float[n];
            java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < lab.length; i++) {
                if (lab[i] > 0 && scores[i] > best[lab[i]]) {
                    best[lab[i]] = scores[i];
                }
            }
            List<ScoredBox> out = new ArrayList<>();
            int[] s = new int[5];
            for (int c = 1; c < n; c++) {
                stats.get(c, 0, s);
                if (s[Imgproc.CC_STAT_AREA] >= options.minArea()) {
                    out.add(new ScoredBox(Box.ofXywh(s[Imgproc.CC_STAT_LEFT], s[Imgproc.CC_STAT_TOP],
                            s[Imgproc.CC_STAT_WIDTH], s[Imgproc.CC_STAT_HEIGHT]), best[c]));
                }
            }
            out.sort((a, b) -> Float.compare(b.score(), a.score()));
            return out.size() > options.maxBoxes() ? List.copyOf(out.subList(0, options.maxBoxes())) : out;
        } finally {
            m.release();
            labels.release();
            stats.release();
            centroids.release();
        }
    }

    /** Refines one frame; {@code image} must have the score map's size. */
    public Refined refine(float[] scores, RgbImage image, PromptableSegmenter prompter) {
        int w = image.width();
        int h = image.height();
        List<ScoredBox> boxes = boxes(scores, w, h);
        float cap = (float) options.threshold();
        float[] out = new float[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(scores[i], cap);
        }
        if (boxes.isEmpty()) {
            return new Refined(out, boxes);
        }
        List<Prompt> prompts = new ArrayList<>(boxes.size());
        for (ScoredBox b : boxes) {
            prompts.add(Prompt.of(b.box()));
        }
        List<PredictedMask> masks;
        try (PromptableSegmenter.Session s = prompter.encode(image)) {
            masks = s.predict(prompts);
        }
        boolean[] painted = new boolean[out.length];
        for (int k = 0; k < masks.size(); k++) {
            byte[] m = masks.get(k).mask();
            float v = boxes.get(k).score();
            for (int i = 0; i < m.length; i++) {
                if (m[i] != 0 && (!painted[i] || v > out[i])) {
                    out[i] = v;
                    painted[i] = true;
                }
            }
        }
        return new Refined(out, boxes);
    }
}
