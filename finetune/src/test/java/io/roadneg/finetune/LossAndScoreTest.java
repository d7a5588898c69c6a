package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.roadneg.finetune.loss.CompositeLoss;
import io.roadneg.finetune.loss.LossConfig;
import io.roadneg.finetune.loss.Targets;
import io.roadneg.finetune.loss.Terms;
import io.roadneg.finetune.model.SegOutput;
import io.roadneg.finetune.score.Score;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loss terms and scores against the formulas computed by hand in doubles on a 1 x 3 x 1 x 4 example. */
class LossAndScoreTest {
    // 3 classes, 4 pixels: inlier class 0, inlier class 2, pasted outlier, void
    static final float[][] LOGITS = {{2f, 0.5f, -1f, 0f}, {0f, 0.1f, 0.3f, 4f}, {-1f, 3f, 0.2f, 1f}};
    static final int[] LABELS = {0, 2, 254, 255};
    static final float[][] DOUT = {{1f, 0f, -2f, 0.5f}, {0f, 1f, 2f, 0f}};

    static NDArray chw(NDManager m, float[][] v) {
        int c = v.length;
        int n = v[0].length;
        float[] flat = new float[c * n];
        for (int i = 0; i < c; i++) {
            System.arraycopy(v[i], 0, flat, i * n, n);
        }
        return m.create(flat, new Shape(1, c, 1, n));
    }

    static double lse(int px) {
        double mx = Double.NEGATIVE_INFINITY;
        for (float[] row : LOGITS) {
            mx = Math.max(mx, row[px]);
        }
        double s = 0;
        for (float[] row : LOGITS) {
            s += Math.exp(row[px] - mx);
        }
        return mx + Math.log(s);
    }

    static double logp(int cls, int px) {
        return LOGITS[cls][px] - lse(px);
    }

    @Test
    void denseHybridTermsMatchTheFormulas() {
        try (NDManager m = NDManager.newBaseManager()) {
            SegOutput o = new SegOutput(chw(m, LOGITS), null, null, chw(m, DOUT), null, null);
            Targets t = new Targets(m, LABELS, 1, 1, 4, 3, 0);
            CompositeLoss.Value v = new LossConfig.DenseHybrid(0.03, 10).build().compute(o, t);
            double ce = -(logp(0, 0) + logp(2, 1)) / 2;
            double lseNeg = lse(2);
            double dout = 0;
            for (int px = 0; px < 4; px++) {
                double l = Math.log(Math.exp(DOUT[0][px]) + Math.exp(DOUT[1][px]));
                dout += -(DOUT[LABELS[px] == 254 ? 1 : 0][px] - l);
            }
            dout /= 4;
            Map<String, Float> terms = v.terms();
            assertEquals(ce, terms.get("ce"), 1e-5);
            assertEquals(lseNeg, terms.get("lse_neg"), 1e-5);
            assertEquals(dout, terms.get("dout"), 1e-5);
            assertEquals(ce + 0.03 * lseNeg + 0.3 * dout, v.total().getFloat(), 1e-5);
        }
    }

    @Test
    void pebalEnergyHingeAndMetaOodMatchTheFormulas() {
        try (NDManager m = NDManager.newBaseManager()) {
            SegOutput o = new SegOutput(chw(m, LOGITS), null, null, null, null, null);
            Targets t = new Targets(m, LABELS, 1, 1, 4, 3, 0);
            double ein = (sq(Math.max(0, -lse(0) + 12)) + sq(Math.max(0, -lse(1) + 12))) / 2;
            double eout = sq(Math.max(0, -6 + lse(2)));
            assertEquals(0.5 * (ein + eout), Terms.energyHinge(-12, -6).compute(o, t).getFloat(), 1e-3);
            double uniform = -(logp(0, 2) + logp(1, 2) + logp(2, 2)) / 3;
            CompositeLoss.Value v = new LossConfig.MetaOod(0.9).build().compute(o, t);
            assertEquals(uniform, v.terms().get("entropy_out"), 1e-5);
            double ce = -(logp(0, 0) + logp(2, 1)) / 2;
            assertEquals(0.1 * ce + 0.9 * uniform, v.total().getFloat(), 1e-5);
        }
    }

    /**
     * RPL as published has no energy_anchor term; with loss.energyAnchor it is the mean squared difference of the RPL
     * and base logsumexp over the inlier pixels, and it alone sees a shift of every logit.
     */
    @Test
    void rplEnergyAnchorHoldsTheInliersEnergy() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] shifted = new float[3][4];
            double[] vlse = new double[4];
            for (int px = 0; px < 4; px++) {
                double s = 0;
                for (int c = 0; c < 3; c++) {
                    shifted[c][px] = LOGITS[c][px] - 1.5f + 0.25f * px;
                    s += Math.exp(shifted[c][px]);
                }
                vlse[px] = Math.log(s);
            }
            // RPL logits = LOGITS, base (vanilla) logits = LOGITS shifted per pixel by 1.5 - 0.25 px
            SegOutput o = new SegOutput(chw(m, LOGITS), null, chw(m, shifted), null, null, null);
            Targets t = new Targets(m, LABELS, 1, 1, 4, 3, 0);
            LossConfig.Rpl reference = new LossConfig.Rpl(0.05, 0, 0.1, 512, null);
            assertEquals(0.0, reference.energyAnchor());
            CompositeLoss.Value plain = reference.build().compute(o, t);
            assertTrue(!plain.terms().containsKey("energy_anchor"), plain.terms().toString());
            double anchor = (sq(lse(0) - vlse[0]) + sq(lse(1) - vlse[1])) / 2;
            CompositeLoss.Value v = new LossConfig.Rpl(0.05, 0, 0.1, 512, 2.0).build().compute(o, t);
            assertEquals(anchor, v.terms().get("energy_anchor"), 1e-5);
            // the inlier terms do not see the shift: cross-entropy to the base's argmax and entropies are unchanged
            assertEquals(plain.terms().get("inlier_ce"), v.terms().get("inlier_ce"), 1e-6);
            assertEquals(0.0, v.terms().get("entropy_mse"), 1e-6);
            assertEquals(plain.total().getFloat() + 2 * anchor, v.total().getFloat(), 1e-5);
        }
    }

    static double sq(double x) {
        return x * x;
    }

    /** Where the payoff (squared logsumexp) is small, abstaining on a negative pixel pays. */
    @Test
    void gamblerRewardsAbstentionOnNegatives() {
        try (NDManager m = NDManager.newBaseManager()) {
            Targets t = new Targets(m, LABELS, 1, 1, 4, 3, 0);
            NDArray logits = m.zeros(new Shape(1, 3, 1, 4));
            float low = Terms.gambler(0.1).compute(new SegOutput(logits, null, null, null,
                    m.create(new float[] {-5, -5, 8, -5}, new Shape(1, 1, 1, 4)), null), t).getFloat();
            float high = Terms.gambler(0.1).compute(new SegOutput(logits, null, null, null,
                    m.create(new float[] {-5, -5, -5, -5}, new Shape(1, 1, 1, 4)), null), t).getFloat();
            assertTrue(low < high, "abstaining on the negative pixel lowers the loss: " + low + " vs " + high);
        }
    }

    @Test
    void scoresMatchTheirDefinitions() {
        try (NDManager m = NDManager.newBaseManager()) {
            SegOutput o = new SegOutput(chw(m, LOGITS), null, null, chw(m, DOUT), null, null);
            float[] msp = Score.MSP.maps(o);
            float[] ml = Score.MAX_LOGIT.maps(o);
            float[] ent = Score.ENTROPY.maps(o);
            float[] en = Score.ENERGY.maps(o);
            float[] dh = Score.DENSEHYBRID.maps(o);
            for (int px = 0; px < 4; px++) {
                double max = Math.max(LOGITS[0][px], Math.max(LOGITS[1][px], LOGITS[2][px]));
                double h = 0;
                for (int c = 0; c < 3; c++) {
                    h -= Math.exp(logp(c, px)) * logp(c, px);
                }
                double doutLse = Math.log(Math.exp(DOUT[0][px]) + Math.exp(DOUT[1][px]));
                assertEquals(1 - Math.exp(max - lse(px)), msp[px], 1e-5);
                assertEquals(-max, ml[px], 1e-6);
                assertEquals(h, ent[px], 1e-5);
                assertEquals(-lse(px), en[px], 1e-5);
                assertEquals(DOUT[1][px] - doutLse - lse(px), dh[px], 1e-5);
            }
        }
    }

    @Test
    void rplScoreIsEnergyBlurredWithTheSigmaOneKernel() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 15;
            float[] logits = new float[n * n];
            logits[7 * n + 7] = 5f;
            SegOutput o = new SegOutput(m.create(logits, new Shape(1, 1, n, n)), null, null, null, null, null);
            float[] e = Score.ENERGY.maps(o);
            float[] r = Score.RPL.maps(o);
            double[] g = new double[7];
            double s = 0;
            for (int i = 0; i < 7; i++) {
                g[i] = Math.exp(-(i - 3) * (i - 3) / 2.0);
                s += g[i];
            }
            double expected = 0;
            for (int dy = -3; dy <= 3; dy++) {
                for (int dx = -3; dx <= 3; dx++) {
                    expected += g[dy + 3] / s * g[dx + 3] / s * e[(7 + dy) * n + 7 + dx];
                }
            }
            assertEquals(expected, r[7 * n + 7], 1e-5);
            assertTrue(r[7 * n + 7] > e[7 * n + 7], "the blur spreads the low energy of the peak");
        }
    }

    @Test
    void contrastiveIsLowerWhenKindsAreSeparated() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] labels = new int[16];
            for (int i = 8; i < 16; i++) {
                labels[i] = 254;
            }
            Targets t = new Targets(m, labels, 1, 4, 4, 3, 1);
            float[] sep = new float[2 * 16];
            float[] mixed = new float[2 * 16];
            for (int i = 0; i < 16; i++) {
                sep[(i < 8 ? 0 : 1) * 16 + i] = 1f;
                mixed[(i % 2) * 16 + i] = 1f;
            }
            float a = Terms.contrastive(0.1, 512).compute(new SegOutput(null, null, null, null, null,
                    m.create(sep, new Shape(1, 2, 4, 4))), t).getFloat();
            float b = Terms.contrastive(0.1, 512).compute(new SegOutput(null, null, null, null, null,
                    m.create(mixed, new Shape(1, 2, 4, 4))), t).getFloat();
            assertTrue(a < b, a + " vs " + b);
        }
    }

    /**
     * The CoroCL term with a raw outlier view against the reference's InfoNCE written out in doubles: one pasted
     * outlier and one inlier anchor, contrasted with themselves and the raw view's outlier and non-outlier cells;
     * each positive's probability is taken against the anchor's negatives only. Raw pixels reach no other mask.
     */
    @Test
    void contrastiveFollowsTheReferenceWithRawViews() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 2 x 2 grids; sample: inlier, outlier, void, void; raw view: outlier, non-outlier, void, void
            int[] labels = {0, 254, 255, 255, 254, 0, 255, 255};
            Targets t = new Targets(m, labels, 1, 1, 2, 2, 3, 7);
            assertEquals(1f, t.inlier().sum().getFloat(), "raw pixels are in no mask");
            assertEquals(1f, t.outlier().sum().getFloat());
            // embeddings of the cells: sample inlier, sample outlier, raw outlier, raw non-outlier
            double[][] z = {{1, 0, 0}, {0, 0.6, 0.8}, {0, 0.8, 0.6}, {0.8, 0.6, 0}};
            int[] cell = {0, 1, 4, 5};
            float[] flat = new float[2 * 3 * 4];
            for (int i = 0; i < z.length; i++) {
                int b = cell[i] / 4;
                int c = cell[i] % 4;
                for (int e = 0; e < 3; e++) {
                    flat[(b * 3 + e) * 4 + c] = (float) z[i][e];
                }
            }
            double tau = 0.5;
            float got = Terms.contrastive(tau, 512).compute(new SegOutput(null, null, null, null, null,
                    m.create(flat, new Shape(2, 3, 2, 2))), t).getFloat();
            // anchors: outlier (1), inlier (0); contrasts: outlier, inlier, raw outlier, raw non-outlier
            double[][] anchors = {z[1], z[0]};
            double[][] contrasts = {z[1], z[0], z[2], z[3]};
            int[] kind = {1, 0, 1, 0};
            double sum = 0;
            for (int a = 0; a < 2; a++) {
                double neg = 0;
                for (int c = 0; c < 4; c++) {
                    if (kind[c] != kind[a]) {
                        neg += Math.exp(dot(anchors[a], contrasts[c]) / tau);
                    }
                }
                double pos = 0;
                int np = 0;
                for (int c = 0; c < 4; c++) {
                    if (c != a && kind[c] == kind[a]) {
                        double l = dot(anchors[a], contrasts[c]) / tau;
                        pos += l - Math.log(Math.exp(l) + neg);
                        np++;
                    }
                }
                sum += pos / np;
            }
            assertEquals(-sum / 2, got, 1e-5);
        }
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    /** The differentiable blur against OpenCV's GaussianBlur (7x7, sigma 1, reflect-101), also on maps under 4 px. */
    @Test
    void gaussianBlurMatchesOpenCv() {
        io.roadneg.datasets.image.OpenCv.ensureLoaded();
        java.util.Random rng = new java.util.Random(3);
        for (int[] size : new int[][] {{2, 5, 9}, {1, 1, 4}, {1, 3, 2}}) {
            int n = size[0];
            int h = size[1];
            int w = size[2];
            float[] v = new float[n * h * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            try (NDManager m = NDManager.newBaseManager()) {
                float[] got = io.roadneg.finetune.model.Ops.gaussianBlur7(m.create(v, new Shape(n, h, w)))
                        .toFloatArray();
                for (int b = 0; b < n; b++) {
                    double[] want = cvBlur(v, b * h * w, h, w);
                    for (int i = 0; i < h * w; i++) {
                        assertEquals(want[i], got[b * h * w + i], 1e-5, "size " + java.util.Arrays.toString(size));
                    }
                }
            }
        }
    }

    static double[] cvBlur(float[] v, int offset, int h, int w) {
        org.opencv.core.Mat src = new org.opencv.core.Mat(h, w, org.opencv.core.CvType.CV_64F);
        double[] d = new double[h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = v[offset + i];
        }
        src.put(0, 0, d);
        org.opencv.core.Mat dst = new org.opencv.core.Mat();
        org.opencv.imgproc.Imgproc.GaussianBlur(src, dst, new org.opencv.core.Size(7, 7), 1.0, 1.0,
                org.opencv.core.Core.BORDER_REFLECT_101);
        double[] out = new double[h * w];
        dst.get(0, 0, out);
        src.release();
        dst.release();
        return out;
    }

    /**
     * PEBAL's terms against the reference formulas written out in doubles on a 1 x 3 x 4 x 4 example: the gambler
     * with the blurred squared-logsumexp payoff and negatives weighted 0.1, the halved hinge, the L2 sparsity and
     * the half-sum smoothness.
     */
    @Test
    void pebalTermsMatchTheReferenceFormulas() {
        int k = 3;
        int h = 4;
        int w = 4;
        java.util.Random rng = new java.util.Random(5);
        float[] logits = new float[k * h * w];
        float[] abstain = new float[h * w];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (2 * rng.nextGaussian() + 1);
        }
        for (int i = 0; i < abstain.length; i++) {
            abstain[i] = (float) rng.nextGaussian();
        }
        int[] labels = {0, 1, 2, 0, 1, 254, 254, 2, 255, 254, 0, 1, 2, 2, 255, 0};
        double[] lse = new double[h * w];
        double[] energy = new double[h * w];
        float[] lse2 = new float[h * w];
        for (int i = 0; i < h * w; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                mx = Math.max(mx, logits[c * h * w + i]);
            }
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += Math.exp(logits[c * h * w + i] - mx);
            }
            lse[i] = mx + Math.log(s);
            energy[i] = -lse[i];
            lse2[i] = (float) (lse[i] * lse[i]);
        }
        double[] payoff = cvBlur(lse2, 0, h, w);
        double in = 0;
        double out = 0;
        int nin = 0;
        int nout = 0;
        double hingeIn = 0;
        double hingeOut = 0;
        double sparsity = 0;
        for (int i = 0; i < h * w; i++) {
            double mx = abstain[i];
            for (int c = 0; c < k; c++) {
                mx = Math.max(mx, logits[c * h * w + i]);
            }
            double z = Math.exp(abstain[i] - mx);
            for (int c = 0; c < k; c++) {
                z += Math.exp(logits[c * h * w + i] - mx);
            }
            double res = Math.exp(abstain[i] - mx) / z / payoff[i];
            if (labels[i] < k) {
                in += Math.log(Math.exp(logits[labels[i] * h * w + i] - mx) / z + res);
                nin++;
                hingeIn += sq(Math.max(0, energy[i] + 12));
            } else if (labels[i] == 254) {
                double mean = 0;
                for (int c = 0; c < k; c++) {
                    mean += Math.log(Math.exp(logits[c * h * w + i] - mx) / z + res) / k;
                }
                out += mean;
                nout++;
                hingeOut += sq(Math.max(0, -6 - energy[i]));
                sparsity += energy[i] * energy[i];
            }
        }
        double smooth = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y + 1 < h) {
                    smooth += sq(energy[(y + 1) * w + x] - energy[y * w + x]);
                }
                if (x + 1 < w) {
                    smooth += sq(energy[y * w + x + 1] - energy[y * w + x]);
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Targets t = new Targets(m, labels, 1, h, w, k, 0);
            SegOutput o = new SegOutput(m.create(logits, new Shape(1, k, h, w)), null, null, null,
                    m.create(abstain, new Shape(1, 1, h, w)), null);
            CompositeLoss.Value v = new LossConfig.Pebal(0.1, -12, -6, null, null, null).build().compute(o, t);
            double gambler = -(in / nin + 0.1 * out / nout);
            double hinge = 0.5 * (hingeIn / nin + hingeOut / nout);
            assertEquals(gambler, v.terms().get("gambler"), 1e-4);
            assertEquals(hinge, v.terms().get("energy_hinge"), 1e-3);
            assertEquals(Math.sqrt(sparsity), v.terms().get("energy_sparsity"), 1e-4);
            assertEquals(smooth / 2, v.terms().get("energy_smooth"), 1e-3);
            assertEquals(gambler + 0.1 * (hinge + 5e-4 * Math.sqrt(sparsity) + 3e-6 * smooth / 2),
                    v.total().getFloat(), 1e-3);
        }
    }
}
