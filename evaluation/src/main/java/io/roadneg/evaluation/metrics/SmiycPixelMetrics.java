package io.roadneg.evaluation.metrics;

import io.roadneg.datasets.LabelValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SegmentMeIfYouCan pixel metric, rule by rule as the official scorer computes it
 * (github.com/SegmentMeIfYouCan/road-anomaly-benchmark, {@code metrics/pixel_classification.py} and
 * {@code metrics/pixel_classification_curves.py}, run with the numpy 1.23 its requirements pin).
 *
 * <p>Scores are float16, as the official {@code Evaluation.save_output} stores them ({@code astype(np.float16)});
 * float32 maps are rounded to nearest even first. Every float16 operation of the official code is done in float16
 * here too ({@link Half}), every float64 one in double. Per frame (its region of interest: label not 255):
 * <ul>
 * <li><b>{@code binary_confusion_matrix}, "percentiles" (768 bins, "PixBinaryClass")</b>: the edges are
 * {@code vmin - eps} and {@code vmax + eps} (float16, eps = max(1% of the range, 0.01) in float16), up to 384
 * {@code np.quantile} values (linear rule, float64 from the float16 data, the difference b - a taken in float16 as
 * numpy's {@code _lerp} does) of the anomaly scores and of the inlier scores at {@code linspace(0, 1, k)}, sorted and
 * de-duplicated ({@code np.unique}). Counts follow {@code np.histogram}: bin i is [e_i, e_i+1), the last one closed.
 * <li><b>"uniform" (4096 bins on [-0.01, 1.01], "PixBinaryClass-uniThr")</b>: numpy makes the edges and the bin
 * index in float16 (the data's type): edges are {@code linspace} rounded to float16 (many coincide above 0.5), the
 * index is {@code (a - (-0.01)) * (4096 / 1.02)} in float16, truncated, then moved by one where the float16 edges
 * disagree; scores outside [-0.01, 1.01] (compared in float16) fall out. A table of all 65536 float16 values holds
 * the result of that procedure.
 * <li><b>Which edge a bin's counts belong to (rule 1)</b>: the curve walks thresholds from high to low and credits
 * bin i at its <i>lower</i> edge e_i ({@code bin_edges[::-1][1:]} paired with the reversed counts): a pixel counts as
 * predicted anomalous at threshold e when its score is at or above e.
 * </ul>
 * <b>{@code aggregate_dynamic_bins} / {@code aggregate_fixed_bins}</b>: the thresholds of all frames are pooled and
 * sorted high to low and the counts accumulated. <b>{@code curves_from_cmats}</b>: of a run of equal thresholds only
 * the last (complete) point is kept, and the very first point of the curve is kept too: with uniform bins that is the
 * top bin alone. With percentile bins the first threshold is each frame's highest score; when several frames share it,
 * which frame's partial count the official scorer keeps as its first point depends on numpy's unstable argsort and on
 * the order its worker pool returns frames, so it is not reproducible there; this class then counts all of them
 * together (the complete point, which is what the official comment says it intends) and {@link #topTies()} says so.
 * <b>The first point (rule 2)</b>: the curve is started at (tp, fp) = (0, 0) with precision 1 whenever its first
 * point has a prediction, so AP = {@code sum(diff(recall) * precision[1:])} includes the first recall step, and ROC
 * starts at (0, 0); it is closed at (P, N) when pixels fell out of every bin. AUROC = {@code np.trapz(tpr, fpr)},
 * FPR95 = fpr at {@code searchsorted(tpr, 0.95)} (1.0 when TPR never reaches 0.95), best F1 = the first maximum of
 * 2tp / (2tp + fp + fn) and its threshold.
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
    private static final int HALVES = 65536;
    private static final double PLOT_STEP = 1e-3;

    private final Bins bins;
    // percentile bins: one (lower edge, counts) entry per bin per frame
    private double[] thr = new double[1024];
    private long[] tpRel = new long[1024];
    private long[] fpRel = new long[1024];
    private int n;
    private double topThreshold = Double.NEGATIVE_INFINITY;
    private int topTies;
    // uniform bins: counts per bin, summed over frames
    private final long[] uniformTp;
    private final long[] uniformFp;
    private long positives;
    private long negatives;
    // per-frame counts of each float16 value, indexed by its order key
    private final int[] countP = new int[HALVES];
    private final int[] countN = new int[HALVES];

    /** An accumulator with the given bin strategy. */
    public SmiycPixelMetrics(Bins bins) {
        this.bins = bins;
        uniformTp = bins == Bins.UNIFORM ? new long[UNIFORM_BINS] : null;
        uniformFp = bins == Bins.UNIFORM ? new long[UNIFORM_BINS] : null;
    }

    /** Adds one frame of float32 scores, rounded to float16 first as the official tool stores them. */
    public void update(float[] scores, byte[] target) {
        update(toHalf(scores), target);
    }

    /** Float16 bits of float32 scores, rounded to nearest even as numpy's {@code astype(np.float16)}. */
    public static short[] toHalf(float[] scores) {
        short[] h = new short[scores.length];
        for (int i = 0; i < scores.length; i++) {
            h[i] = Half.fromFloat(scores[i]);
        }
        return h;
    }

    /**
     * Adds one frame of float16 scores (raw bits); targets other than anomaly / inlier are void (outside the region of
     * interest). Scores must be finite in float16.
     */
    public void update(short[] half, byte[] target) {
        if (half.length != target.length) {
            throw new IllegalArgumentException("scores have " + half.length + " pixels but the target has "
                    + target.length);
        }
        int np = 0;
        int nn = 0;
        for (int i = 0; i < half.length; i++) {
            byte t = target[i];
            if (t != LabelValues.ANOMALY && t != LabelValues.INLIER) {
                continue;
            }
            if (!Half.isFinite(half[i])) {
                throw new IllegalArgumentException("score " + Half.toFloat(half[i]) + " at pixel " + i
                        + " is not a finite float16");
            }
            int key = key(half[i]);
            if (t == LabelValues.ANOMALY) {
                countP[key]++;
                np++;
            } else {
                countN[key]++;
                nn++;
            }
        }
        positives += np;
        negatives += nn;
        try {
            if (np + nn == 0) {
                return;
            }
            if (bins == Bins.UNIFORM) {
                addUniform();
            } else {
                addPercentiles(np, nn);
            }
        } finally {
            Arrays.fill(countP, 0);
            Arrays.fill(countN, 0);
        }
    }

    /**
     * Adds everything {@code other} counted (an accumulator of the same bins, for other frames; it must not be used
     * afterwards). The result is the same whatever the split of frames and the order of merging: the percentile
     * entries are a multiset that {@link #compute} sorts by threshold and sums, the rest are counts and a maximum.
     */
    public void merge(SmiycPixelMetrics other) {
        if (other.bins != bins) {
            throw new IllegalArgumentException("cannot merge " + other.bins + " bins into " + bins);
        }
        positives += other.positives;
        negatives += other.negatives;
        if (bins == Bins.UNIFORM) {
            for (int i = 0; i < UNIFORM_BINS; i++) {
                uniformTp[i] += other.uniformTp[i];
                uniformFp[i] += other.uniformFp[i];
            }
            return;
        }
        ensure(n + other.n);
        System.arraycopy(other.thr, 0, thr, n, other.n);
        System.arraycopy(other.tpRel, 0, tpRel, n, other.n);
        System.arraycopy(other.fpRel, 0, fpRel, n, other.n);
        n += other.n;
        if (other.topThreshold > topThreshold) {
            topThreshold = other.topThreshold;
            topTies = other.topTies;
        } else if (other.topThreshold == topThreshold) {
            topTies += other.topTies;
        }
    }

    /** An order key of float16 bits: ascending keys are ascending values; -0 and +0 share the key of +0. */
    static int key(short bits) {
        int h = bits & 0xffff;
        if (h == 0x8000) {
            h = 0;
        }
        return (h & 0x8000) != 0 ? (~h & 0xffff) : (h | 0x8000);
    }

    /** The float16 bits of an order key. */
    static short bitsOfKey(int key) {
        return (short) ((key & 0x8000) != 0 ? (key & 0x7fff) : (~key & 0xffff));
    }

    private void addUniform() {
        int[] table = UniformTable.BIN;
        for (int k = 0; k < HALVES; k++) {
            if (countP[k] == 0 && countN[k] == 0) {
                continue;
            }
            int bin = table[bitsOfKey(k) & 0xffff];
            if (bin >= 0) {
                uniformTp[bin] += countP[k];
                uniformFp[bin] += countN[k];
            }
        }
    }

    private void addPercentiles(int np, int nn) {
        int lo = 0;
        while (countP[lo] == 0 && countN[lo] == 0) {
            lo++;
        }
        int hi = HALVES - 1;
        while (countP[hi] == 0 && countN[hi] == 0) {
            hi--;
        }
        short vmin = bitsOfKey(lo);
        short vmax = bitsOfKey(hi);
        // vrange * 1e-2 and np.maximum(., 1e-2) on float16 scalars: the constant is cast to float16 first
        short hundredth = Half.fromDouble(1e-2);
        short eps = Half.multiply(Half.subtract(vmax, vmin), hundredth);
        if (Half.toFloat(hundredth) > Half.toFloat(eps)) {
            eps = hundredth;
        }
        int kp = Math.min(PERCENTILE_BINS / 2, np);
        int kq = Math.min(PERCENTILE_BINS / 2, nn);
        double[] e = new double[2 + kp + kq];
        e[0] = Half.toFloat(Half.subtract(vmin, eps));
        e[1] = Half.toFloat(Half.add(vmax, eps));
        quantiles(countP, np, kp, e, 2);
        quantiles(countN, nn, kq, e, 2 + kp);
        Arrays.sort(e);
        int m = 0;
        for (int i = 0; i < e.length; i++) {
            if (i == 0 || e[i] != e[m - 1]) {
                e[m++] = e[i];
            }
        }
        int nb = m - 1;
        long[] hp = new long[nb];
        long[] hq = new long[nb];
        int bin = 0;
        for (int k = lo; k <= hi; k++) {
            if (countP[k] == 0 && countN[k] == 0) {
                continue;
            }
            double v = Half.toFloat(bitsOfKey(k));
            if (v < e[0] || v > e[nb]) {
                continue; // np.histogram drops values outside the outer edges
            }
            while (bin < nb - 1 && v >= e[bin + 1]) {
                bin++;
            }
            hp[bin] += countP[k];
            hq[bin] += countN[k];
        }
        ensure(n + nb);
        for (int i = 0; i < nb; i++) {
            thr[n] = e[i];
            tpRel[n] = hp[i];
            fpRel[n] = hq[i];
            n++;
        }
        double top = e[nb - 1];
        if (top > topThreshold) {
            topThreshold = top;
            topTies = 1;
        } else if (top == topThreshold) {
            topTies++;
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

    /**
     * {@code np.quantile(x, np.linspace(0, 1, k))} (linear rule) of the {@code count} values whose float16 histogram
     * by order key is {@code hist}, written to {@code out[at..at+k)}. numpy 1.23's {@code _quantile}: virtual index
     * v = (count - 1) q in float64; at or above the last index the last value; else a = x[floor v], b = x[floor v + 1],
     * t = v - floor v, {@code _lerp}: diff = b - a in float16, a + diff t for t below 0.5, b - diff (1 - t) from 0.5.
     */
    static void quantiles(int[] hist, int count, int k, double[] out, int at) {
        if (k == 0) {
            return;
        }
        double step = k > 1 ? 1.0 / (k - 1) : Double.NaN;
        int key = -1;
        long seen = 0; // values with order key <= key
        for (int j = 0; j < k; j++) {
            double q = k == 1 ? 0.0 : j == k - 1 ? 1.0 : j * step; // np.linspace(0, 1, k)
            double v = (count - 1) * q;
            long prev = (long) Math.floor(v);
            boolean last = v >= count - 1;
            long ia = last ? count - 1 : prev;
            // advance to the key holding order statistic ia
            while (seen <= ia) {
                key++;
                seen += hist[key];
            }
            short a = bitsOfKey(key);
            if (last) {
                out[at + j] = Half.toFloat(a);
                continue;
            }
            short b;
            if (seen > ia + 1) {
                b = a; // x[ia + 1] has the same value
            } else {
                int kb = key + 1;
                while (hist[kb] == 0) {
                    kb++;
                }
                b = bitsOfKey(kb);
            }
            double t = v - prev;
            double diff = Half.toFloat(Half.subtract(b, a));
            out[at + j] = t >= 0.5 ? Half.toFloat(b) - diff * (1 - t) : Half.toFloat(a) + diff * t;
        }
    }

    /**
     * How many frames share the highest percentile threshold (1 when it is one frame's own; 0 before any frame).
     * Above 1 the official scorer's first curve point is not reproducible (see the class comment).
     */
    public int topTies() {
        return topTies;
    }

    /** How many distinct values the 4097 float16 edges of the uniform bins take (numpy 1.24: 3083). */
    static int distinctUniformEdges() {
        java.util.TreeSet<Double> d = new java.util.TreeSet<>();
        for (double e : UniformTable.EDGES) {
            d.add(e);
        }
        d.add((double) Half.toFloat(Half.fromDouble(1.01)));
        return d.size();
    }

    /** Pixel metrics with the official curve conventions. */
    public PixelMetrics compute() {
        int cap = bins == Bins.UNIFORM ? UNIFORM_BINS : n;
        double[] t = new double[cap];
        long[] tp = new long[cap];
        long[] fp = new long[cap];
        int m = 0;
        long ctp = 0;
        long cfp = 0;
        if (bins == Bins.UNIFORM) {
            // thresholds e_4095 .. e_0 (float16 lower edges, equal neighbours where edges coincide); keep the first
            // point and the last point of each run of equal thresholds
            double[] edge = UniformTable.EDGES;
            for (int i = UNIFORM_BINS - 1; i >= 0; i--) {
                ctp += uniformTp[i];
                cfp += uniformFp[i];
                if (i == UNIFORM_BINS - 1 || i == 0 || edge[i - 1] != edge[i]) {
                    t[m] = edge[i];
                    tp[m] = ctp;
                    fp[m++] = cfp;
                }
            }
        } else {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Double.compare(thr[y], thr[x]));
            for (int k = 0; k < n; ) {
                double v = thr[order[k]];
                while (k < n && thr[order[k]] == v) {
                    ctp += tpRel[order[k]];
                    cfp += fpRel[order[k]];
                    k++;
                }
                t[m] = v;
                tp[m] = ctp;
                fp[m++] = cfp;
            }
        }
        String name = bins == Bins.UNIFORM
                ? "SMIYC PixBinaryClass-uniThr (official scorer: float16 scores, 4096 float16 uniform bins on"
                        + " [-0.01, 1.01], pooled)"
                : "SMIYC PixBinaryClass (official scorer: float16 scores, 768 percentile bins per frame, pooled)";
        if (bins == Bins.PERCENTILES && topTies > 1) {
            name += String.format(Locale.ROOT, "; note: %d frames share the highest score %s, where the official "
                    + "scorer's first curve point depends on numpy's sort order; counted here as one complete point",
                    topTies, Double.toString(topThreshold));
        }
        return curve(Arrays.copyOf(t, m), Arrays.copyOf(tp, m), Arrays.copyOf(fp, m), positives, negatives, name);
    }

    /**
     * {@code curves_from_cmats} on thresholds (high to low) with cumulative counts: start at (0, 0) when the first
     * point predicts something, end at (P, N) when the last does not hold every pixel, then AP, AUROC, FPR95 and the
     * best F1. Package-private for tests.
     */
    static PixelMetrics curve(double[] t0, long[] tp0, long[] fp0, long pos, long neg, String protocol) {
        if (t0.length == 0 || pos == 0 || neg == 0) {
            return new PixelMetrics(protocol, pos, neg, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, List.of());
        }
        int m = t0.length;
        boolean head = tp0[0] != 0 || fp0[0] != 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : t0) {
            max = Math.max(max, v);
        }
        if (head) {
            max = max + 1; // float(np.max(thresholds)) + 1 is prepended and is then the maximum
        }
        boolean tail = tp0[m - 1] != pos || fp0[m - 1] != neg;
        int size = m + (head ? 1 : 0) + (tail ? 1 : 0);
        double[] t = new double[size];
        long[] tp = new long[size];
        long[] fp = new long[size];
        int o = 0;
        if (head) {
            t[o] = max;
            o++;
        }
        System.arraycopy(t0, 0, t, o, m);
        System.arraycopy(tp0, 0, tp, o, m);
        System.arraycopy(fp0, 0, fp, o, m);
        if (tail) {
            t[size - 1] = max - 1; // the official code appends float(np.max(thresholds)) - 1
            tp[size - 1] = pos;
            fp[size - 1] = neg;
        }
        double ap = 0;
        double auroc = 0;
        double fpr95 = Double.NaN;
        double thr95 = Double.NaN;
        double bestF1 = Double.NaN;
        double bestThr = Double.NaN;
        double prevTpr = 0;
        double prevFpr = 0;
        List<CurveSummary.Point> points = new ArrayList<>();
        double lastTpr = -1;
        double lastFpr = -1;
        double lastPrec = -1;
        for (int i = 0; i < size; i++) {
            double fn = (double) (pos - tp[i]);
            double tpr = tp[i] / (tp[i] + fn);
            double fpr = fp[i] / (double) (fp[i] + (neg - fp[i]));
            double precision = tp[i] + fp[i] > 0 ? tp[i] / (double) (tp[i] + fp[i]) : 1.0;
            if (i > 0) {
                ap += (tpr - prevTpr) * precision;
                auroc += (fpr - prevFpr) * (tpr + prevTpr) / 2.0;
            }
            if (Double.isNaN(fpr95) && tpr >= 0.95) {
                fpr95 = fpr;
                thr95 = t[i];
            }
            double f1 = 2.0 * tp[i] / (2.0 * tp[i] + fp[i] + fn);
            if (!Double.isNaN(f1) && (Double.isNaN(bestF1) || f1 > bestF1)) {
                bestF1 = f1;
                bestThr = t[i];
            }
            if (i == 0 || i == size - 1 || Math.abs(tpr - lastTpr) >= PLOT_STEP || Math.abs(fpr - lastFpr) >= PLOT_STEP
                    || Math.abs(precision - lastPrec) >= PLOT_STEP * 10) {
                points.add(new CurveSummary.Point(t[i], tpr, fpr, precision));
                lastTpr = tpr;
                lastFpr = fpr;
                lastPrec = precision;
            }
            prevTpr = tpr;
            prevFpr = fpr;
        }
        if (Double.isNaN(fpr95)) {
            fpr95 = 1.0; // TPR 0.95 never reached: the official scorer reports 1.0 (and threshold 0.0)
            thr95 = 0.0;
        }
        return new PixelMetrics(protocol, pos, neg, ap, auroc, fpr95, thr95, bestF1, bestThr, List.copyOf(points));
    }

    /** The official uniform bins, worked out once for every float16 value. */
    private static final class UniformTable {
        /** Lower edges e_0 .. e_4095 (float16 values as doubles). */
        static final double[] EDGES = new double[UNIFORM_BINS];
        /** The bin of each float16 bit pattern, or -1 where the value falls out (or is not finite). */
        static final int[] BIN = new int[HALVES];

        static {
            // np.histogram(a, bins=4096, range=[-0.01, 1.01]) on float16 data: bin_type = float16, the edges are
            // np.linspace(-0.01, 1.01, 4097) (float64: k * step + start, the last one exactly the stop) cast to
            // float16
            double start = -0.01;
            double stop = 1.01;
            double step = (stop - start) / UNIFORM_BINS;
            float[] edge = new float[UNIFORM_BINS + 1];
            for (int k = 0; k <= UNIFORM_BINS; k++) {
                double y = k == UNIFORM_BINS ? stop : k * step + start;
                edge[k] = Half.toFloat(Half.fromDouble(y));
            }
            for (int k = 0; k < UNIFORM_BINS; k++) {
                EDGES[k] = edge[k];
            }
            // the range limits and the scale factor take the data's type (float16) in the comparisons and products
            short first = Half.fromDouble(start);
            float firstF = Half.toFloat(first);
            float lastF = Half.toFloat(Half.fromDouble(stop));
            short norm = Half.fromDouble(UNIFORM_BINS / (stop - start));
            for (int bits = 0; bits < HALVES; bits++) {
                short h = (short) bits;
                float a = Half.toFloat(h);
                if (!Half.isFinite(h) || !(a >= firstF && a <= lastF)) {
                    BIN[bits] = -1;
                    continue;
                }
                float f = Half.toFloat(Half.multiply(Half.subtract(h, first), norm));
                int idx = (int) f; // astype(np.intp) truncates
                if (idx == UNIFORM_BINS) {
                    idx--;
                }
                if (a < edge[idx]) {
                    idx--;
                }
                if (a >= edge[idx + 1] && idx != UNIFORM_BINS - 1) {
                    idx++;
                }
                BIN[bits] = idx;
            }
        }

        private UniformTable() {
        }
    }
}
