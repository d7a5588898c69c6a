package io.roadneg.evaluation.metrics;

import io.roadneg.datasets.LabelValues;
import java.util.Arrays;

/**
 * The SMIYC official pixel metric ("PixBinaryClass"): per frame, candidate thresholds are up to 384 quantiles
 * (numpy's linear rule) of the anomaly scores and up to 384 of the inlier scores plus the frame's min - eps and
 * max + eps (eps = max(1% of the range, 0.01)); counts fall into the histogram bins between them, and each bin's counts
 * are credited at its upper edge. All frames' thresholds are pooled, sorted descending, equal ones collapsed, and the
 * counts accumulated. The uniform variant ("PixBinaryClass-uniThr") uses 4096 equal bins on [-0.01, 1.01]; scores
 * outside that range fall out of every bin, as in numpy's histogram. Arithmetic is in double (the official tool works
 * on float16 arrays, so the thresholds of float16 inputs can differ in the last float16 bit).
 */
public final class SmiycPixelMetrics {
    /** Bin strategy of the official scorer. */
    public enum Bins {
        /** 768 percentile bins (the headline "PixBinaryClass"). */
        PERCENTILES,
        /** 4096 uniform bins on [-0.01, 1.01] ("PixBinaryClass-uniThr"). */
        UNIFORM
    }

    private static final int PERCENTILE_BINS = 768;
    private static final int UNIFORM_BINS = 4096;

    private final Bins bins;
    private double[] thr = new double[1024];
    private long[] tpRel = new long[1024];
    private long[] fpRel = new long[1024];
    private int n;
    private long positives;
    private long negatives;

    /** An accumulator with the given bin strategy. */
    public SmiycPixelMetrics(Bins bins) {
        this.bins = bins;
        if (bins == Bins.UNIFORM) {
            // fixed bins: one slot per bin, summed over frames
            n = UNIFORM_BINS;
            thr = new double[UNIFORM_BINS];
            tpRel = new long[UNIFORM_BINS];
            fpRel = new long[UNIFORM_BINS];
            double[] edges = uniformEdges();
            for (int i = 0; i < UNIFORM_BINS; i++) {
                thr[i] = edges[i + 1];
            }
        }
    }

    private static double[] uniformEdges() {
        double[] e = new double[UNIFORM_BINS + 1];
        double lo = -0.01;
        double hi = 1.01;
        double step = (hi - lo) / UNIFORM_BINS;
        for (int i = 0; i <= UNIFORM_BINS; i++) {
            e[i] = i == UNIFORM_BINS ? hi : lo + i * step;
        }
        return e;
    }

    /** Adds one frame; targets other than anomaly / inlier are void (outside the region of interest). */
    public void update(float[] scores, byte[] target) {
        if (scores.length != target.length) {
            throw new IllegalArgumentException("scores have " + scores.length + " pixels but the target has "
                    + target.length);
        }
        int np = 0;
        int nn = 0;
        for (byte t : target) {
            if (t == LabelValues.ANOMALY) {
                np++;
            } else if (t == LabelValues.INLIER) {
                nn++;
            }
        }
        double[] p = new double[np];
        double[] q = new double[nn];
        int ip = 0;
        int iq = 0;
        for (int i = 0; i < scores.length; i++) {
            if (target[i] == LabelValues.ANOMALY) {
                p[ip++] = scores[i];
            } else if (target[i] == LabelValues.INLIER) {
                q[iq++] = scores[i];
            }
        }
        positives += np;
        negatives += nn;
        if (np + nn == 0) {
            return;
        }
        Arrays.sort(p);
        Arrays.sort(q);
        double[] edges = bins == Bins.UNIFORM ? uniformEdges() : percentileEdges(p, q);
        long[] hp = histogram(p, edges);
        long[] hq = histogram(q, edges);
        if (bins == Bins.UNIFORM) {
            for (int i = 0; i < UNIFORM_BINS; i++) {
                tpRel[i] += hp[i];
                fpRel[i] += hq[i];
            }
            return;
        }
        int add = edges.length - 1;
        ensure(n + add);
        for (int i = 0; i < add; i++) {
            thr[n] = edges[i + 1];
            tpRel[n] = hp[i];
            fpRel[n] = hq[i];
            n++;
        }
    }

    private void ensure(int cap) {
        if (cap > thr.length) {
            int c = Math.max(cap, thr.length * 2);
            thr = Arrays.copyOf(thr, c);
            tpRel = Arrays.copyOf(tpRel, c);
            fpRel = Arrays.copyOf(fpRel, c);
        }
    }

    private static double[] percentileEdges(double[] p, double[] q) {
        double vmin = Math.min(p.length > 0 ? p[0] : Double.POSITIVE_INFINITY, q.length > 0 ? q[0]
                : Double.POSITIVE_INFINITY);
        double vmax = Math.max(p.length > 0 ? p[p.length - 1] : Double.NEGATIVE_INFINITY, q.length > 0
                ? q[q.length - 1] : Double.NEGATIVE_INFINITY);
        double eps = Math.max((vmax - vmin) * 1e-2, 1e-2);
        int kp = Math.min(PERCENTILE_BINS / 2, p.length);
        int kq = Math.min(PERCENTILE_BINS / 2, q.length);
        double[] e = new double[2 + kp + kq];
        e[0] = vmin - eps;
        e[1] = vmax + eps;
        quantiles(p, kp, e, 2);
        quantiles(q, kq, e, 2 + kp);
        Arrays.sort(e);
        int m = 0;
        for (int i = 0; i < e.length; i++) {
            if (i == 0 || e[i] != e[m - 1]) {
                e[m++] = e[i];
            }
        }
        return Arrays.copyOf(e, m);
    }

    /** numpy's quantile with the default linear method at linspace(0, 1, k), of sorted {@code x}. */
    static void quantiles(double[] x, int k, double[] out, int at) {
        for (int j = 0; j < k; j++) {
            double q = k == 1 ? 0 : (double) j / (k - 1);
            double pos = q * (x.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, x.length - 1);
            double t = pos - lo;
            double a = x[lo];
            double b = x[hi];
            // numpy's _lerp: a + (b-a)t, computed from the nearer end for t >= 0.5
            out[at + j] = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
        }
    }

    /** numpy.histogram on sorted data: bins [e_i, e_i+1), the last one closed; values outside fall out. */
    private static long[] histogram(double[] sorted, double[] edges) {
        long[] h = new long[edges.length - 1];
        int last = edges.length - 1;
        for (double v : sorted) {
            if (v < edges[0] || v > edges[last]) {
                continue;
            }
            int idx = Arrays.binarySearch(edges, v);
            int bin;
            if (idx >= 0) {
                bin = idx == last ? last - 1 : idx;
                // binarySearch may land on any equal edge; edges are unique, so idx is the edge itself
            } else {
                bin = -idx - 2;
            }
            h[bin]++;
        }
        return h;
    }

    /** Pixel metrics with the SMIYC curve conventions. */
    public PixelMetrics compute() {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(thr[b], thr[a]));
        CurveSummary sum = new CurveSummary(CurveSummary.Convention.SMIYC, positives, negatives);
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < n; ) {
            double t = thr[order[k]];
            while (k < n && thr[order[k]] == t) {
                tp += tpRel[order[k]];
                fp += fpRel[order[k]];
                k++;
            }
            sum.add(t, tp, fp);
        }
        String name = bins == Bins.UNIFORM ? "SMIYC PixBinaryClass-uniThr (4096 uniform bins on [-0.01, 1.01], pooled)"
                : "SMIYC PixBinaryClass (768 percentile bins per frame, pooled)";
        return sum.finish(name);
    }
}
