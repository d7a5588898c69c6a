package io.roadneg.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OtherMetricsTest {
    private static short h(double v) {
        return Half.fromDouble(v);
    }

    @Test
    void smiycCountsABinAtItsLowerEdgeAndKeepsTheFirstRecallStep() {
        // one frame: anomalies 0.75, 0.5; inliers 0.25, 0.5 (all exact in float16)
        SmiycPixelMetrics m = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.PERCENTILES);
        m.update(new short[] {h(0.75), h(0.5), h(0.25), h(0.5), h(0.9)}, new byte[] {1, 1, 0, 0, (byte) 255});
        PixelMetrics r = m.compute();
        // edges: vmin - eps = f16(0.25 - f16(0.01)) = 0.23999, quantiles {0.5, 0.75} and {0.25, 0.5}, vmax + eps =
        // f16(0.76) = 0.75977. Bins [0.25, 0.5): inlier 0.25; [0.5, 0.75): anomaly 0.5 and inlier 0.5 (a score on an
        // edge belongs to the bin above it); [0.75, 0.75977]: anomaly 0.75.
        // Counts at each bin's lower edge, high to low: 0.75 -> (tp 1, fp 0), 0.5 -> (2, 1), 0.25 -> (2, 2),
        // 0.23999 -> (2, 2). The curve starts at (0, 0): recall 0, .5, 1, 1, 1; precision 1, 1, 2/3, 1/2, 1/2.
        // AP = .5 * 1 + .5 * 2/3 = 5/6 (crediting bins at their upper edge and skipping the first step gave 1/3)
        assertEquals(5.0 / 6, r.ap(), 1e-15);
        // ROC: (0,0) (0,.5) (.5,1) (1,1) (1,1): .5 * (1 + .5) / 2 + .5 * 2 / 2 = 0.875
        assertEquals(0.875, r.auroc(), 1e-15);
        // first TPR >= 0.95 at threshold 0.5, FPR there .5
        assertEquals(0.5, r.fpr95(), 0);
        assertEquals(0.5, r.thresholdAtTpr95(), 0);
        // F1: 0.75 -> 2/3, 0.5 -> 4/5, 0.25 -> 2/3: best 0.8 at the lower edge 0.5
        assertEquals(0.8, r.bestF1(), 1e-15);
        assertEquals(0.5, r.bestF1Threshold(), 0);
    }

    @Test
    void smiycCurveWithoutPredictionAtTheTopStartsThereAndEndsAtAllPixels() {
        // thresholds 3, 2, 1 with cumulative (tp, fp) = (0, 0), (1, 1), (1, 2); P = 2, N = 3
        PixelMetrics r = SmiycPixelMetrics.curve(new double[] {3, 2, 1}, new long[] {0, 1, 1}, new long[] {0, 1, 2},
                2, 3, "test");
        // no (0,0) is prepended (the first point predicts nothing; its precision is taken as 1); the last point
        // lacks pixels, so (2, 3) is appended at threshold max - 1 = 2.
        // recall 0, .5, .5, 1; precision 1, .5, 1/3, 2/5 -> AP = .5 * .5 + .5 * .4 = 0.45
        assertEquals(0.45, r.ap(), 1e-15);
        // fpr 0, 1/3, 2/3, 1; tpr 0, .5, .5, 1 -> 1/3 * .25 + 1/3 * .5 + 1/3 * .75 = 0.5
        assertEquals(0.5, r.auroc(), 1e-15);
        // TPR reaches 0.95 only at the appended point: FPR 1, threshold 2
        assertEquals(1.0, r.fpr95(), 0);
        assertEquals(2.0, r.thresholdAtTpr95(), 0);
        // F1: 0, 2/(2+1+1) = .5, 2/(2+2+1) = .4, 4/(4+3) = 4/7: best 4/7 at the appended threshold 2
        assertEquals(4.0 / 7, r.bestF1(), 1e-15);
        assertEquals(2.0, r.bestF1Threshold(), 0);
    }

    @Test
    void smiycUniformBinsAreFloat16() {
        // numpy builds the 4097 edges of np.histogram(float16 data, 4096, range=(-0.01, 1.01)) in float16: only
        // 3083 distinct values (np.unique of the edges, numpy 1.24). Two neighbouring float16 scores, 0.256836 and
        // 0.257080 (one float16 step, 2^-12, apart: less than a bin's 1.02 / 4096), fall in one bin (numpy 1.24
        // puts both in one bin) and cannot be told apart
        SmiycPixelMetrics m = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.UNIFORM);
        m.update(new short[] {h(0.257080078125), h(0.2568359375), h(0.1)}, new byte[] {1, 0, 0});
        PixelMetrics r = m.compute();
        // one threshold holds both top pixels: precision 1/2 at recall 1 -> AP 0.5, best F1 2/3
        assertEquals(0.5, r.ap(), 1e-15);
        assertEquals(2.0 / 3, r.bestF1(), 1e-15);
        SmiycPixelMetrics p = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.PERCENTILES);
        p.update(new short[] {h(0.257080078125), h(0.2568359375), h(0.1)}, new byte[] {1, 0, 0});
        assertEquals(1.0, p.compute().ap(), 1e-15); // percentile edges separate them
        assertEquals(3083, SmiycPixelMetrics.distinctUniformEdges());
    }

    @Test
    void smiycFramesSharingTheTopScoreAreCountedTogetherAndFlagged() {
        SmiycPixelMetrics m = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.PERCENTILES);
        m.update(new short[] {h(1.0), h(0.2)}, new byte[] {1, 0});
        m.update(new short[] {h(1.0), h(0.3)}, new byte[] {0, 1});
        assertEquals(2, m.topTies());
        PixelMetrics r = m.compute();
        // threshold 1.0 holds one anomaly and one inlier from the two frames together: precision 1/2 at recall 1/2;
        // 0.3 -> (2, 1): precision 2/3 at recall 1. AP = .5 * .5 + .5 * 2/3 = 7/12
        assertEquals(7.0 / 12, r.ap(), 1e-15);
        assertTrue(r.protocol().contains("2 frames share the highest score"), r.protocol());
    }

    @Test
    void smiycQuantilesFollowNumpyLinearWithAFloat16Difference() {
        // np.quantile(float16 [1, 2, 4, 8], [0, .5, 1]) = [1, 3, 8]
        int[] hist = new int[65536];
        for (double v : new double[] {1, 2, 4, 8}) {
            hist[SmiycPixelMetrics.key(h(v))]++;
        }
        double[] out = new double[3];
        SmiycPixelMetrics.quantiles(hist, 4, 3, out, 0);
        assertEquals(1, out[0], 0);
        assertEquals(3, out[1], 0);
        assertEquals(8, out[2], 0);
        // b - a is rounded to float16 first: np.quantile(float16 [0.0001, 1000], 0.5) = 0.0001 + f16(999.9999) * .5
        // = 0.0001 + 1000 * .5 (999.9999 is 1000 in float16)
        int[] h2 = new int[65536];
        h2[SmiycPixelMetrics.key(h(0.0001))]++;
        h2[SmiycPixelMetrics.key(h(1000))]++;
        double[] o2 = new double[3];
        SmiycPixelMetrics.quantiles(h2, 2, 3, o2, 0);
        assertEquals(1000 - 1000 * 0.5, o2[1], 0); // t = 0.5 takes the upper form: b - diff * (1 - t)
    }

    @Test
    void openSetMiouByHand() {
        // K = 2 known classes, anomaly class 2; threshold 0.5
        int[] label = {0, 0, 1, 1, 2, 2, 255};
        int[] argmax = {0, 1, 1, 1, 0, 1, 0};
        float[] score = {0.1f, 0.1f, 0.9f, 0.2f, 0.9f, 0.3f, 0.9f};
        OpenSetMetrics m = new OpenSetMetrics(2, 0.5);
        m.update(label, argmax, score);
        OpenSetMetrics.Result r = m.compute();
        // open predictions: 0,1,A,1,A,1 -> class0 IoU 1/2; class1 IoU 1/4 (tp 1; label1 row 2; pred1 col 3);
        // anomaly IoU: tp 1, row 2, col 2 -> 1/3
        assertEquals((0.5 + 0.25) / 2, r.openMIoU(), 1e-12);
        assertEquals(1.0 / 3, r.anomalyIoU(), 1e-12);
        // closed: on known pixels, argmax 0,1,1,1 -> class0 1/2, class1 2/3
        assertEquals((0.5 + 2.0 / 3) / 2, r.closedMIoU(), 1e-12);
    }

    @Test
    void openSetWithFloat64ScoresComparesDoubles() {
        int[] label = {0, 0, 1, 1, 2, 2, 255};
        int[] argmax = {0, 1, 1, 1, 0, 1, 0};
        float[] score = {0.1f, 0.1f, 0.9f, 0.2f, 0.9f, 0.3f, 0.9f};
        double[] wide = new double[score.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = score[i];
        }
        OpenSetMetrics f = new OpenSetMetrics(2, 0.5);
        f.update(label, argmax, score);
        OpenSetMetrics d = new OpenSetMetrics(2, 0.5);
        d.update(label, argmax, wide);
        assertEquals(f.compute(), d.compute());
        // just under the threshold as a double, on it once rounded to float: not anomalous
        double under = Math.nextDown(0.5);
        assertEquals(0.5f, (float) under);
        OpenSetMetrics one = new OpenSetMetrics(2, 0.5);
        one.update(new int[] {2}, new int[] {0}, new double[] {under});
        assertEquals(0.0, one.compute().anomalyIoU(), 0);
        OpenSetMetrics rounded = new OpenSetMetrics(2, 0.5);
        rounded.update(new int[] {2}, new int[] {0}, new float[] {(float) under});
        assertEquals(1.0, rounded.compute().anomalyIoU(), 0);
    }

    @Test
    void perImageAveragesSkipUndefinedFrames() {
        PerImageMetrics m = new PerImageMetrics();
        m.update(new float[] {0.9f, 0.1f}, new byte[] {1, 0}); // perfect frame
        m.update(new float[] {0.1f, 0.9f}, new byte[] {1, 0}); // inverted frame: AP 0.5, AUROC 0
        m.update(new float[] {0.5f}, new byte[] {0}); // no anomaly: skipped
        PerImageMetrics.Result r = m.compute();
        assertEquals(2, r.frames());
        assertEquals(1, r.skipped());
        assertEquals((1.0 + 0.5) / 2, r.ap(), 1e-12);
        assertEquals((1.0 + 0.0) / 2, r.auroc(), 1e-12);
        assertEquals((0.0 + 1.0) / 2, r.fpr95(), 1e-12);
    }
}
