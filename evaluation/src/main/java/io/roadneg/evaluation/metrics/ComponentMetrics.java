package io.roadneg.evaluation.metrics;

import io.roadneg.datasets.LabelValues;
import java.util.ArrayList;
import java.util.List;

/**
 * SMIYC component-level metrics. Per frame, ground-truth anomaly components smaller than the track's minimum become
 * void; the score map is thresholded (score >= threshold, inside the region of interest only), predicted components
 * smaller than the track's minimum are dropped. Then sIoU per ground-truth component (predictions touching it, minus
 * their parts on other ground-truth components), PPV per predicted component, and F1 averaged over
 * t in linspace(0.25, 0.75, 11) with counts summed over frames.
 */
public final class ComponentMetrics {
    /** The size rules of the two SMIYC tracks. */
    public enum Track {
        /** RoadAnomaly21: predicted components under 500 px dropped, ground truth under 100 px void. */
        ANOMALY(500, 100),
        /** RoadObstacle21: 50 px and 10 px. */
        OBSTACLE(50, 10);

        private final int minPredicted;
        private final int minGroundTruth;

        Track(int minPredicted, int minGroundTruth) {
            this.minPredicted = minPredicted;
            this.minGroundTruth = minGroundTruth;
        }

        /** Smallest predicted component kept, in pixels. */
        public int minPredicted() {
            return minPredicted;
        }

        /** Smallest ground-truth component kept (smaller ones become void), in pixels. */
        public int minGroundTruth() {
            return minGroundTruth;
        }
    }

    /**
     * The component metrics.
     *
     * @param track the size rules used
     * @param threshold the score threshold
     * @param groundTruthComponents ground-truth components counted
     * @param predictedComponents predicted components counted
     * @param meanSIoU mean sIoU over ground-truth components (NaN when there are none)
     * @param meanPpv mean PPV over predicted components (NaN when there are none)
     * @param meanF1 F1 averaged over the 11 thresholds (NaN when there is no component at all)
     */
    public record Result(Track track, double threshold, int groundTruthComponents, int predictedComponents,
            double meanSIoU, double meanPpv, double meanF1) {
    }

    private static final int STEPS = 11;

    private final Track track;
    private final double threshold;
    private final List<Double> sIoUs = new ArrayList<>();
    private final List<Double> ppvs = new ArrayList<>();

    /** An accumulator for {@code track} at the given score threshold (the pixel-level best-F1 threshold). */
    public ComponentMetrics(Track track, double threshold) {
        this.track = track;
        this.threshold = threshold;
    }

    /** Adds one frame ({@code w} x {@code h}, row-major). */
    public void update(float[] scores, byte[] target, int w, int h) {
        int n = w * h;
        if (scores.length != n || target.length != n) {
            throw new IllegalArgumentException("frame is " + w + "x" + h + " but has " + scores.length
                    + " scores and " + target.length + " labels");
        }
        boolean[] gtMask = new boolean[n];
        boolean[] roi = new boolean[n];
        for (int i = 0; i < n; i++) {
            gtMask[i] = target[i] == LabelValues.ANOMALY;
            roi[i] = target[i] == LabelValues.ANOMALY || target[i] == LabelValues.INLIER;
        }
        int[] cnt = new int[1];
        int[] gt = Components.label(gtMask, w, h, cnt);
        int gtCount = cnt[0];
        int[] gtSize = sizes(gt, gtCount);
        for (int i = 0; i < n; i++) {
            if (gt[i] > 0 && gtSize[gt[i]] < track.minGroundTruth()) {
                gt[i] = 0;
                roi[i] = false;
            }
        }
        boolean[] predMask = new boolean[n];
        for (int i = 0; i < n; i++) {
            predMask[i] = roi[i] && scores[i] >= threshold;
        }
        int[] pred = Components.label(predMask, w, h, cnt);
        int predCount = cnt[0];
        int[] predSize = sizes(pred, predCount);
        for (int i = 0; i < n; i++) {
            if (pred[i] > 0 && predSize[pred[i]] < track.minPredicted()) {
                pred[i] = 0;
            }
        }
        // overlap table: pixels of predicted component p on ground-truth component g (g = 0: on no anomaly)
        long[][] overlap = new long[predCount + 1][gtCount + 1];
        for (int i = 0; i < n; i++) {
            if (pred[i] > 0) {
                overlap[pred[i]][gt[i]]++;
            }
        }
        for (int g = 1; g <= gtCount; g++) {
            if (gtSize[g] < track.minGroundTruth()) {
                continue;
            }
            long inter = 0;
            long unionPred = 0;
            long onOthers = 0;
            for (int p = 1; p <= predCount; p++) {
                if (predSize[p] < track.minPredicted() || overlap[p][g] == 0) {
                    continue;
                }
                inter += overlap[p][g];
                unionPred += predSize[p];
                for (int o = 1; o <= gtCount; o++) {
                    if (o != g) {
                        onOthers += overlap[p][o];
                    }
                }
            }
            double denom = unionPred + gtSize[g] - inter - onOthers;
            sIoUs.add(inter / denom);
        }
        for (int p = 1; p <= predCount; p++) {
            if (predSize[p] < track.minPredicted()) {
                continue;
            }
            long onGt = predSize[p] - overlap[p][0];
            ppvs.add((double) onGt / predSize[p]);
        }
    }

    private static int[] sizes(int[] lab, int count) {
        int[] s = new int[count + 1];
        for (int v : lab) {
            s[v]++;
        }
        return s;
    }

    /** The metrics over all frames added. */
    public Result compute() {
        double f1Sum = 0;
        for (int k = 0; k < STEPS; k++) {
            double t = 0.25 + 0.05 * k;
            long tp = sIoUs.stream().filter(v -> v >= t).count();
            long fn = sIoUs.size() - tp;
            long fp = ppvs.stream().filter(v -> v < t).count();
            f1Sum += 2 * tp + fn + fp == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fn + fp);
        }
        return new Result(track, threshold, sIoUs.size(), ppvs.size(), mean(sIoUs), mean(ppvs), f1Sum / STEPS);
    }

    private static double mean(List<Double> v) {
        return v.isEmpty() ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    }
}
