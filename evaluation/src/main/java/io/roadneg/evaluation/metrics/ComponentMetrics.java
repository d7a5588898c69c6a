package io.roadneg.evaluation.metrics;

import io.roadneg.datasets.LabelValues;
import java.util.ArrayList;
import java.util.List;

/**
 * SMIYC component-level metrics, rule by rule as the official scorer computes them
 * (github.com/SegmentMeIfYouCan/road-anomaly-benchmark, {@code metrics/instance_segmentation.py}: {@code
 * default_instancer}, {@code segment_metrics} and {@code MetricSegment.aggregate}). Per frame:
 * <ol>
 * <li>prediction = float16 score <b>strictly above</b> the threshold, the threshold rounded to float16 first (numpy
 * 1.23 compares a float16 array with a float scalar in float16); void pixels are not predicted;
 * <li>8-connected components of the ground-truth anomaly and of the prediction; predicted components under the
 * track's minimum (500 / 50 px) are dropped, their size counted over the whole frame;
 * <li><b>then</b> ground-truth components under the track's minimum (100 / 10 px) become void, and every count below
 * is taken inside the region of interest that remains: a prediction keeps the component it had with the small
 * object's pixels, but those pixels count neither for nor against it;
 * <li>sIoU per ground-truth component = |intersection| / (|predictions touching it| + |gt| - |intersection| -
 * |parts of those predictions on other ground-truth components|); PPV per predicted component = its pixels on any
 * ground-truth component / its pixels;
 * <li>over all frames: TP(t) = ground-truth components with sIoU >= t, FN(t) the others, FP(t) = predicted components
 * with PPV < t, for t in {@code linspace(0.25, 0.75, 11)}; F1(t) = 2TP / (2TP + FN + FP); mean F1 over the 11 t,
 * mean sIoU over all ground-truth components, mean PPV over all predicted components.
 * </ol>
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

    /** Adds one frame of float32 scores ({@code w} x {@code h}, row-major), rounded to float16 first. */
    public void update(float[] scores, byte[] target, int w, int h) {
        update(SmiycPixelMetrics.toHalf(scores), target, w, h);
    }

    /** Adds one frame of float16 scores (raw bits; {@code w} x {@code h}, row-major). */
    public void update(short[] half, byte[] target, int w, int h) {
        int n = w * h;
        if (half.length != n || target.length != n) {
            throw new IllegalArgumentException("frame is " + w + "x" + h + " but has " + half.length
                    + " scores and " + target.length + " labels");
        }
        float thr = Half.toFloat(Half.fromDouble(threshold));
        boolean[] gtMask = new boolean[n];
        boolean[] predMask = new boolean[n];
        for (int i = 0; i < n; i++) {
            gtMask[i] = target[i] == LabelValues.ANOMALY;
            boolean valid = target[i] == LabelValues.ANOMALY || target[i] == LabelValues.INLIER;
            predMask[i] = valid && Half.toFloat(half[i]) > thr;
        }
        int[] cnt = new int[1];
        int[] gt = Components.label(gtMask, w, h, cnt);
        int gtCount = cnt[0];
        int[] gtSize = sizes(gt, gtCount);
        int[] pred = Components.label(predMask, w, h, cnt);
        int predCount = cnt[0];
        int[] predSize = sizes(pred, predCount);
        // kept predicted components get compact ids 1..kept (size rule on the whole component)
        int[] id = new int[predCount + 1];
        int kept = 0;
        for (int p = 1; p <= predCount; p++) {
            id[p] = predSize[p] >= track.minPredicted() ? ++kept : 0;
        }
        // after that, small ground-truth objects become void; counts are taken in the remaining region of interest.
        // overlap[p][g]: pixels of kept prediction p on ground-truth component g (g = 0: on no anomaly)
        long[][] overlap = new long[kept + 1][gtCount + 1];
        long[] predIn = new long[kept + 1];
        for (int i = 0; i < n; i++) {
            boolean valid = target[i] == LabelValues.ANOMALY || target[i] == LabelValues.INLIER;
            if (!valid || (gt[i] > 0 && gtSize[gt[i]] < track.minGroundTruth())) {
                continue;
            }
            int p = id[pred[i]];
            if (p > 0) {
                overlap[p][gt[i]]++;
                predIn[p]++;
            }
        }
        for (int g = 1; g <= gtCount; g++) {
            if (gtSize[g] < track.minGroundTruth()) {
                continue;
            }
            long inter = 0;
            long unionPred = 0;
            long onOthers = 0;
            for (int p = 1; p <= kept; p++) {
                if (overlap[p][g] == 0) {
                    continue;
                }
                inter += overlap[p][g];
                unionPred += predIn[p];
                for (int o = 1; o <= gtCount; o++) {
                    if (o != g) {
                        onOthers += overlap[p][o];
                    }
                }
            }
            double denom = unionPred + gtSize[g] - inter - onOthers;
            sIoUs.add(inter / denom);
        }
        for (int p = 1; p <= kept; p++) {
            if (predIn[p] == 0) {
                continue; // wholly on void or on small objects: not in the region of interest
            }
            ppvs.add((double) (predIn[p] - overlap[p][0]) / predIn[p]);
        }
    }

    /**
     * Appends the components {@code other} counted (same track and threshold; frames after this one's, so that the
     * means sum in frame order whatever thread measured which frame).
     */
    public void merge(ComponentMetrics other) {
        if (other.track != track || Double.compare(other.threshold, threshold) != 0) {
            throw new IllegalArgumentException("cannot merge component metrics of another track or threshold");
        }
        sIoUs.addAll(other.sIoUs);
        ppvs.addAll(other.ppvs);
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
        double step = (0.75 - 0.25) / (STEPS - 1);
        for (int k = 0; k < STEPS; k++) {
            double t = k == STEPS - 1 ? 0.75 : k * step + 0.25; // np.linspace(0.25, 0.75, 11)
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
