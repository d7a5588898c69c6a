package io.roadneg.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OtherMetricsTest {
    @Test
    void smiycPercentileBinsOnSeparableDataArePerfect() {
        SmiycPixelMetrics m = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.PERCENTILES);
        float[] s = {0.1f, 0.2f, 0.15f, 0.9f, 0.8f, 0.3f};
        byte[] t = {0, 0, 0, 1, 1, (byte) 255};
        m.update(s, t);
        PixelMetrics r = m.compute();
        // the official AP skips the first recall step: the top bin (credited at max + eps) holds one of the two
        // anomalies, so AP = (1 - 0.5) * 1 = 0.5 where sklearn would say 1
        assertEquals(0.5, r.ap(), 1e-12);
        assertEquals(1.0, r.auroc(), 1e-12);
        assertEquals(0.0, r.fpr95(), 1e-12);
        assertEquals(1.0, r.bestF1(), 1e-12);
        // a bin is credited at its upper edge, as in the official scorer
        assertTrue(r.bestF1Threshold() > 0.2 && r.bestF1Threshold() <= 0.9f, "threshold " + r.bestF1Threshold());
    }

    @Test
    void smiycUniformBinsCountAtUpperEdge() {
        SmiycPixelMetrics m = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.UNIFORM);
        // two pixels in one bin cannot be separated: one threshold, precision 0.5 there
        m.update(new float[] {0.5f, 0.5f + 1e-6f, 0.0f}, new byte[] {1, 0, 0});
        PixelMetrics r = m.compute();
        assertEquals(2.0 / 3, r.bestF1(), 1e-12); // F1 = 2*1/(2+1+0)
        // SMIYC curve starts at its first point: recall 1 there, so AP = 0 (no further recall step)
        assertEquals(0.0, r.ap(), 1e-12);
    }

    @Test
    void quantilesFollowNumpyLinear() {
        double[] x = {1, 2, 4, 8};
        double[] out = new double[3];
        SmiycPixelMetrics.quantiles(x, 3, out, 0);
        // np.quantile([1,2,4,8], [0, .5, 1]) = [1, 3, 8]
        assertEquals(1, out[0], 0);
        assertEquals(3, out[1], 1e-12);
        assertEquals(8, out[2], 0);
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
