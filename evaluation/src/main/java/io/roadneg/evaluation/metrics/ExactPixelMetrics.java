package io.roadneg.evaluation.metrics;

import io.roadneg.datasets.LabelValues;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Exact pooled AP, AUROC and FPR95 over all valid pixels of all frames, equal to sklearn's
 * {@code average_precision_score}, {@code roc_auc_score} and {@code roc_curve} (ties collapsed into one threshold).
 *
 * <p>A float is mapped to its sortable int bits and appended, as {@code low 16 bits << 1 | label}, to one of 65536
 * buckets chosen by the top 16 bits: the hot loop is one append, with no sorting. A bucket is folded into a table of
 * (low 16 bits, anomaly count, inlier count) with a dense 65536-slot histogram (a short bucket by sorting) only at
 * {@link #compute} or when the raw buffers of an accumulator pass 2^25 pixels (128 MB); so memory is at
 * most that budget plus the distinct score values, whatever the pixel count. Float16 scores, which have only 65536
 * values, go through one exact histogram instead; float64 scores that float32 cannot hold ({@link #updateWide}) are
 * kept as 8-byte keys and sorted at the end, so they are ranked as doubles, as sklearn ranks them. Not thread-safe:
 * use one accumulator per thread and {@link #merge}; the result is a function of integer counts, identical whatever
 * the split or the thread count.
 */
public final class ExactPixelMetrics {
    private static final int BUCKETS = 1 << 16;
    private static final int MIN_PENDING = 16;
    /** Buckets a folding thread takes at a time in {@link #compute(int)}. */
    private static final int CHUNK = 256;
    private static final String PROTOCOL = "exact pooled (sklearn/bdl definition, ties collapsed)";
    /** Raw pixels held unfolded per accumulator (4 bytes each) before every bucket is folded into its table. */
    private static final long PENDING_BUDGET = 1L << 25;

    private final long pendingBudget;
    private static final int DENSE_MIN = 1 << 14;
    /** Slots of the per-frame lookup over the anomaly scores' range (a 512 KB bit set at most). */
    private static final int LOOKUP_BITS = 22;

    private final int[][] pending = new int[BUCKETS][];
    private final int[] pendingSize = new int[BUCKETS];
    private final char[][] low = new char[BUCKETS][];
    private final int[][] pos = new int[BUCKETS][];
    private final int[][] neg = new int[BUCKETS][];
    private final int[] size = new int[BUCKETS];
    private long[] halfHistogram;
    private int[] dense;
    private long pendingTotal;
    /** Accumulators merged in whose raw buffers are folded with this one's, bucket by bucket (never copied over). */
    private final java.util.List<ExactPixelMetrics> absorbed = new java.util.ArrayList<>();
    private long positives;
    private long negatives;
    /**
     * Sortable keys ({@link #wideKey}) of float64 pixels, sorted, an array per frame and class (anomaly runs at the
     * same index of {@link #wideIsAnomaly} are true); see {@link #updateWide}.
     */
    private final List<long[]> wideRuns = new java.util.ArrayList<>();
    private final List<Boolean> wideIsAnomaly = new java.util.ArrayList<>();
    private long widePixels;

    /** An empty accumulator. */
    public ExactPixelMetrics() {
        this(PENDING_BUDGET);
    }

    /** An accumulator that folds its raw buffers every {@code pendingBudget} pixels (tests use tiny budgets). */
    ExactPixelMetrics(long pendingBudget) {
        this.pendingBudget = pendingBudget;
    }

    /** Maps a float to an int whose unsigned order is the float order; -0.0 and 0.0 map to the same key. */
    public static int sortableKey(float f) {
        int bits = Float.floatToRawIntBits(f == 0f ? 0f : f);
        return bits ^ ((bits >> 31) | 0x80000000);
    }

    /** Inverse of {@link #sortableKey}. */
    public static float fromSortableKey(int key) {
        int bits = key < 0 ? key ^ 0x80000000 : ~key;
        return Float.intBitsToFloat(bits);
    }

    /**
     * Maps a double to a long whose signed order is the double order (finite values); -0.0 and 0.0 map to the same
     * key, and a float's key is that of the same value as a double.
     */
    public static long wideKey(double d) {
        long bits = Double.doubleToRawLongBits(d == 0.0 ? 0.0 : d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    /** Inverse of {@link #wideKey}. */
    public static double fromWideKey(long key) {
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MAX_VALUE : key);
    }

    /**
     * Adds one frame of float64 scores that float32 cannot hold: ranked as doubles, so no two distinct scores become
     * one threshold. Their keys are kept per pixel (8 bytes each), sorted per frame, and merged in {@link #compute}
     * with each other and with the float32 and float16 frames of the same accumulator in one descending walk. Counts
     * as {@link #update}; scores must be finite.
     */
    public void updateWide(double[] scores, byte[] target) {
        checkLength(scores.length, target.length);
        int[] pn = classCounts(target);
        int p = pn[0];
        int n = pn[1];
        long[] a = new long[p];
        long[] b = new long[n];
        for (int i = 0, j = 0, k = 0; i < scores.length; i++) {
            byte t = target[i];
            if (t == LabelValues.ANOMALY) {
                a[j++] = wideKey(scores[i]);
            } else if (t == LabelValues.INLIER) {
                b[k++] = wideKey(scores[i]);
            }
        }
        // sorted here, on the thread that read the frame; compute merges the runs without copying them
        Arrays.sort(a);
        Arrays.sort(b);
        wideRuns.add(a);
        wideIsAnomaly.add(Boolean.TRUE);
        wideRuns.add(b);
        wideIsAnomaly.add(Boolean.FALSE);
        widePixels += p + (long) n;
        positives += p;
        negatives += n;
    }

    /** Anomaly and inlier pixels of {@code target}, in one pass. */
    private static int[] classCounts(byte[] target) {
        int p = 0;
        int n = 0;
        for (byte t : target) {
            if (t == LabelValues.ANOMALY) {
                p++;
            } else if (t == LabelValues.INLIER) {
                n++;
            }
        }
        return new int[] {p, n};
    }

    /**
     * The exact metrics of one frame of float64 scores on its own, as {@link #ofFrame} (no plot curve): the anomaly
     * keys are sorted and each inlier pixel finds its place among them through the same slot table.
     */
    public static PixelMetrics ofFrameWide(double[] scores, byte[] target) {
        checkLength(scores.length, target.length);
        int[] pn = classCounts(target);
        if (pn[0] == 0 || pn[1] == 0) {
            return undefinedFrame(pn);
        }
        long[] keys = new long[pn[0]];
        for (int i = 0, j = 0; i < scores.length; i++) {
            if (target[i] == LabelValues.ANOMALY) {
                keys[j++] = wideKey(scores[i]);
            }
        }
        Anomalies u = Anomalies.of(keys);
        long[] pk = u.keys();
        int m = u.distinct();
        int[] count = new int[2 * m + 2];
        for (int i = 0; i < scores.length; i++) {
            if (target[i] != LabelValues.INLIER) {
                continue;
            }
            long k = wideKey(scores[i]);
            if (k < u.base()) {
                count[0]++;
                continue;
            }
            long offset = (k - u.base()) >>> u.shift(); // unsigned: doubles' keys can span more than a long's range
            if (Long.compareUnsigned(offset, u.slots()) >= 0) {
                count[2 * m]++;
                continue;
            }
            int o = (int) offset;
            long w = u.occupied()[o >>> 6];
            int r = u.rankBefore()[o >>> 6] + Long.bitCount(w & ((1L << o) - 1));
            int lo = u.slotFirst()[r]; // every key before lo is smaller
            int hi = u.slotFirst()[r + (int) ((w >>> o) & 1L)]; // keys of this slot: [lo, hi)
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (pk[mid] < k) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            count[2 * lo + (lo < m && pk[lo] == k ? 1 : 0)]++;
        }
        return fromCounts(pn[0], pn[1], m, u.counts(), count, j -> fromWideKey(pk[j]));
    }

    /**
     * Adds one frame: {@code scores[i]} is counted when {@code target[i]} is {@link LabelValues#ANOMALY} or
     * {@link LabelValues#INLIER}; any other target value is void. Scores must be finite (the caller validates).
     */
    public void update(float[] scores, byte[] target) {
        checkLength(scores.length, target.length);
        long total = pendingTotal;
        long p = 0;
        long n = 0;
        for (int i = 0; i < scores.length; i++) {
            int t = target[i];
            if (t == LabelValues.ANOMALY || t == LabelValues.INLIER) {
                // the append's common case written out here (the quick compiler does not inline add)
                int key = sortableKey(scores[i]);
                int b = key >>> 16;
                int[] buf = pending[b];
                int k = pendingSize[b];
                if (buf != null && k < buf.length) {
                    buf[k] = (key & 0xffff) << 1 | t;
                    pendingSize[b] = k + 1;
                    total++;
                } else {
                    pendingTotal = total;
                    append(key, t);
                    total = pendingTotal;
                }
                if (t == LabelValues.ANOMALY) {
                    p++;
                } else {
                    n++;
                }
            }
        }
        pendingTotal = total;
        positives += p;
        negatives += n;
    }

    /**
     * The exact metrics of one frame on its own (for per-image averages and worst / best frames; no plot curve).
     * Only the anomaly pixels are sorted: every threshold where recall moves is an anomaly score, so AP, best F1 and
     * FPR95 need, per distinct anomaly score s, the inlier pixels scoring above s and equal to s, and AUROC (the
     * Mann-Whitney form of the trapezoid with ties, as sklearn) those below. Each inlier pixel finds its place among
     * the sorted anomaly scores by a lookup table over their range and a short binary search, so the frame is
     * read once instead of radix-sorted. Equal to {@link #ofFrameBySorting} (AP and F1 term by term).
     */
    public static PixelMetrics ofFrame(float[] scores, byte[] target) {
        checkLength(scores.length, target.length);
        int[] pn = classCounts(target);
        if (pn[0] == 0 || pn[1] == 0) {
            return undefinedFrame(pn);
        }
        // anomaly keys, flipped to signed order (held as longs); distinct values u[0..m) with their counts
        long[] keys = new long[pn[0]];
        for (int i = 0, j = 0; i < scores.length; i++) {
            if (target[i] == LabelValues.ANOMALY) {
                keys[j++] = sortableKey(scores[i]) ^ 0x80000000;
            }
        }
        // The anomaly keys' own range is spread over at most 2^LOOKUP_BITS slots (slot = (key - u[0]) >>> shift). A
        // bit set marks the slots holding an anomaly key and, with a running count per 64 slots, gives each slot's
        // rank among the occupied ones; slotFirst[r] is the first distinct key of the r-th occupied slot. An inlier
        // in an empty slot lies between two keys without a comparison; in an occupied slot it is compared with the
        // slot's one key or, rarely, searched among its few. The tables (2^22 bits: 512 KB, and the counts: 256 KB)
        // stay in a core's cache where a table of one int per slot (4 MB at 2^20 slots) did not: 2048x1024 frames of
        // uniform scores, 55 -> 27 ms a frame with C1, 32 -> 17.5 ms with C2.
        Anomalies u = Anomalies.of(keys);
        long[] pk = u.keys();
        int m = u.distinct();
        long base = u.base();
        int shift = u.shift();
        int slots = u.slots();
        long[] occupied = u.occupied();
        int[] rankBefore = u.rankBefore();
        int[] slotFirst = u.slotFirst();
        // count[2j]: inliers strictly between u[j-1] and u[j] (count[2m]: above the top); count[2j+1]: ties with u[j]
        int[] count = new int[2 * m + 2];
        for (int i = 0; i < scores.length; i++) {
            if (target[i] != LabelValues.INLIER) {
                continue;
            }
            long k = sortableKey(scores[i]) ^ 0x80000000;
            long offset = (k - base) >>> shift;
            if (k < base) {
                count[0]++;
            } else if (offset >= slots) {
                count[2 * m]++;
            } else {
                int o = (int) offset;
                long w = occupied[o >>> 6];
                int r = rankBefore[o >>> 6] + Long.bitCount(w & ((1L << o) - 1));
                int lo = slotFirst[r]; // all keys before lo are smaller, all from the slot's end on are larger
                int hi = slotFirst[r + (int) ((w >>> o) & 1L)]; // u[lo..hi) share the slot (none if it is empty)
                if (hi - lo <= 1) {
                    count[2 * lo + (lo < hi ? Long.signum(k - pk[lo]) + 1 : 0)]++;
                } else {
                    while (lo < hi) {
                        int mid = (lo + hi) >>> 1;
                        if (pk[mid] < k) {
                            lo = mid + 1;
                        } else {
                            hi = mid;
                        }
                    }
                    count[2 * lo + (lo < m && pk[lo] == k ? 1 : 0)]++;
                }
            }
        }
        return fromCounts(pn[0], pn[1], m, u.counts(), count, j -> fromSortableKey((int) pk[j] ^ 0x80000000));
    }

    /** The metrics of a frame without anomaly or without inlier pixels: undefined, never 0. */
    private static PixelMetrics undefinedFrame(int[] pn) {
        return new PixelMetrics(PROTOCOL, pn[0], pn[1], Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, List.of());
    }

    /**
     * A frame's anomaly keys, sorted and run-length counted ({@code keys[0..distinct)} ascending with
     * {@code counts}), and the lookup over their range: slot = (key - base) >>> shift, unsigned, in {@code slots}
     * slots; a bit per occupied slot, the occupied slots before each 64, and the first key of each occupied slot
     * (then {@code distinct}).
     */
    private record Anomalies(long[] keys, int[] counts, int distinct, long base, int shift, int slots, long[] occupied,
            int[] rankBefore, int[] slotFirst) {
        /** From the frame's anomaly keys (at least one), sorted in place. */
        static Anomalies of(long[] keys) {
            Arrays.sort(keys);
            int m = 0;
            int[] counts = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                if (m > 0 && keys[m - 1] == keys[i]) {
                    counts[m - 1]++;
                } else {
                    keys[m] = keys[i];
                    counts[m++] = 1;
                }
            }
            long base = keys[0];
            long range = keys[m - 1] - base;
            int shift = 0;
            while (Long.compareUnsigned(range >>> shift, 1L << LOOKUP_BITS) >= 0) {
                shift++;
            }
            int slots = (int) (range >>> shift) + 1;
            int words = (slots + 63) >>> 6;
            long[] occupied = new long[words];
            int[] rankBefore = new int[words];
            int[] slotFirst = new int[m + 1];
            int used = 0;
            for (int j = 0; j < m; j++) {
                int o = (int) ((keys[j] - base) >>> shift);
                if ((occupied[o >>> 6] & (1L << o)) == 0) {
                    occupied[o >>> 6] |= 1L << o;
                    slotFirst[used++] = j;
                }
            }
            slotFirst[used] = m;
            for (int w = 0, r = 0; w < words; w++) {
                rankBefore[w] = r;
                r += Long.bitCount(occupied[w]);
            }
            return new Anomalies(keys, counts, m, base, shift, slots, occupied, rankBefore, slotFirst);
        }
    }

    /**
     * A frame's metrics from its m distinct anomaly scores (ascending; {@code posCount[j]} anomaly pixels at the j-th)
     * and the inlier counts around them: {@code count[2j]} strictly between the (j-1)-th and the j-th
     * ({@code count[2m]} above the top), {@code count[2j+1]} equal to the j-th.
     */
    private static PixelMetrics fromCounts(int p, long n, int m, int[] posCount, int[] count,
            java.util.function.IntToDoubleFunction thresholdOf) {
        double ap = 0;
        double aucSum = 0;
        double fpr95 = Double.NaN;
        double thr95 = Double.NaN;
        double bestF1 = Double.NaN;
        double bestThr = Double.NaN;
        long tp = 0;
        long above = count[2 * m];
        double prevTpr = 0;
        for (int j = m - 1; j >= 0; j--) {
            long fp = above + count[2 * j + 1];
            tp += posCount[j];
            double tpr = (double) tp / p;
            double precision = (double) tp / (tp + fp);
            ap += (tpr - prevTpr) * precision;
            prevTpr = tpr;
            double threshold = thresholdOf.applyAsDouble(j);
            if (Double.isNaN(fpr95) && tpr >= 0.95) {
                fpr95 = (double) fp / n;
                thr95 = threshold;
            }
            double f1 = 2.0 * tp / (2.0 * tp + fp + (p - tp));
            if (Double.isNaN(bestF1) || f1 > bestF1) {
                bestF1 = f1;
                bestThr = threshold;
            }
            long below = n - fp;
            aucSum += posCount[j] * (below + 0.5 * count[2 * j + 1]);
            above = fp + count[2 * j];
        }
        return new PixelMetrics(PROTOCOL, p, n, ap, aucSum / ((double) p * n), Double.isNaN(fpr95) ? 1.0 : fpr95,
                thr95, bestF1, bestThr, List.of());
    }

    /**
     * The exact metrics of one frame with its thinned curve (the reference for {@link #ofFrame}, which has no
     * curve): the frame's valid pixels are radix-sorted by key (two stable 16-bit passes carrying the label) and
     * walked once, which costs a fraction of bucketing them.
     */
    static PixelMetrics ofFrameBySorting(float[] scores, byte[] target) {
        checkLength(scores.length, target.length);
        int valid = 0;
        for (byte t : target) {
            if (t == LabelValues.ANOMALY || t == LabelValues.INLIER) {
                valid++;
            }
        }
        int[] keys = new int[valid];
        byte[] labels = new byte[valid];
        long p = 0;
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            byte t = target[i];
            if (t == LabelValues.ANOMALY || t == LabelValues.INLIER) {
                keys[j] = sortableKey(scores[i]);
                labels[j++] = t;
                if (t == LabelValues.ANOMALY) {
                    p++;
                }
            }
        }
        int[] keys2 = new int[valid];
        byte[] labels2 = new byte[valid];
        radixPass(keys, labels, keys2, labels2, 0);
        radixPass(keys2, labels2, keys, labels, 16);
        CurveSummary sum = new CurveSummary(p, valid - p);
        long tp = 0;
        long fp = 0;
        for (int i = valid - 1; i >= 0; ) {
            int key = keys[i];
            while (i >= 0 && keys[i] == key) {
                if (labels[i] == LabelValues.ANOMALY) {
                    tp++;
                } else {
                    fp++;
                }
                i--;
            }
            sum.add(fromSortableKey(key), tp, fp);
        }
        return sum.finish(PROTOCOL);
    }

    /** One stable counting-sort pass on 16 bits of the unsigned key starting at {@code shift}. */
    private static void radixPass(int[] src, byte[] srcLabels, int[] dst, byte[] dstLabels, int shift) {
        int[] start = new int[BUCKETS + 1];
        for (int k : src) {
            start[((k >>> shift) & 0xffff) + 1]++;
        }
        for (int b = 0; b < BUCKETS; b++) {
            start[b + 1] += start[b];
        }
        for (int i = 0; i < src.length; i++) {
            int d = start[(src[i] >>> shift) & 0xffff]++;
            dst[d] = src[i];
            dstLabels[d] = srcLabels[i];
        }
    }

    /** Adds one frame of float16 scores (raw half bits) through the exact 65536-bin histogram. */
    public void updateHalf(short[] halfBits, byte[] target) {
        checkLength(halfBits.length, target.length);
        if (halfHistogram == null) {
            halfHistogram = new long[2 * 65536];
        }
        long p = 0;
        long n = 0;
        for (int i = 0; i < halfBits.length; i++) {
            int t = target[i];
            int h = halfBits[i] & 0xffff;
            if (h == 0x8000) {
                h = 0; // -0 and +0 are one score value, as for floats
            }
            if (t == LabelValues.ANOMALY) {
                halfHistogram[2 * h + 1]++;
                p++;
            } else if (t == LabelValues.INLIER) {
                halfHistogram[2 * h]++;
                n++;
            }
        }
        positives += p;
        negatives += n;
    }

    private static void checkLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("scores have " + a + " pixels but the target has " + b);
        }
    }

    /** Appends one pixel's key and label to its bucket; the caller counts it in {@code positives / negatives}. */
    private void append(int key, int label) {
        int b = key >>> 16;
        int[] buf = pending[b];
        int n = pendingSize[b];
        if (buf == null) {
            buf = new int[MIN_PENDING];
            pending[b] = buf;
        } else if (n == buf.length) {
            if (pendingTotal >= pendingBudget) {
                // memory bound reached: fold every buffer into its table (ties collapse), then go on appending
                compactAll();
                n = 0;
            } else {
                pending[b] = Arrays.copyOf(buf, 2 * n);
            }
            buf = pending[b];
        }
        buf[n] = (key & 0xffff) << 1 | label;
        pendingSize[b] = n + 1;
        pendingTotal++;
    }

    private void compactAll() {
        for (int b = 0; b < BUCKETS; b++) {
            compact(b);
        }
        pendingTotal = 0;
    }

    /**
     * Run-length counts the bucket's buffer in low-key order and merges it into the bucket's table. A full buffer is
     * counted in a dense 65536-value histogram (linear, no comparison sort: this was most of the time on continuous
     * scores); a short one is sorted, since scanning 65536 slots for a few pixels would cost more.
     */
    private void compact(int b) {
        if (dense == null && pendingOf(b) >= DENSE_MIN) {
            dense = new int[2 * BUCKETS];
        }
        compact(b, dense);
    }

    /** {@link #compact(int)} with the caller's histogram scratch, so that threads can fold disjoint buckets. */
    private void compact(int b, int[] scratch) {
        int n = pendingOf(b);
        if (n == 0) {
            return;
        }
        int[] buf = pending[b];
        if (!absorbed.isEmpty() && n < DENSE_MIN) {
            // a short bucket spread over several accumulators: gathered into one buffer to sort
            int[] all = new int[n];
            int at = 0;
            for (ExactPixelMetrics a : sources()) {
                int k = a.pendingSize[b];
                if (k > 0) {
                    System.arraycopy(a.pending[b], 0, all, at, k);
                    at += k;
                }
            }
            buf = all;
        }
        char[] rl;
        int[] rp;
        int[] rn;
        int m = 0;
        if (n >= DENSE_MIN) {
            int[] d = scratch;
            for (ExactPixelMetrics a : sources()) {
                int[] ab = a.pending[b];
                for (int i = 0, k = a.pendingSize[b]; i < k; i++) {
                    d[ab[i]]++; // ab[i] = low << 1 | label: negatives at even, positives at odd slots
                }
            }
            rl = new char[Math.min(n, BUCKETS)];
            rp = new int[rl.length];
            rn = new int[rl.length];
            for (int v = 0; v < BUCKETS; v++) {
                int cn = d[2 * v];
                int cp = d[2 * v + 1];
                if ((cn | cp) != 0) {
                    rl[m] = (char) v;
                    rp[m] = cp;
                    rn[m] = cn;
                    m++;
                    d[2 * v] = 0;
                    d[2 * v + 1] = 0;
                }
            }
        } else {
            Arrays.sort(buf, 0, n);
            rl = new char[n];
            rp = new int[n];
            rn = new int[n];
            for (int i = 0; i < n; ) {
                int v = buf[i] >>> 1;
                int cp = 0;
                int cn = 0;
                while (i < n && (buf[i] >>> 1) == v) {
                    if ((buf[i] & 1) == 1) {
                        cp++;
                    } else {
                        cn++;
                    }
                    i++;
                }
                rl[m] = (char) v;
                rp[m] = cp;
                rn[m] = cn;
                m++;
            }
        }
        mergeInto(b, rl, rp, rn, m);
        pendingSize[b] = 0;
        if (pending[b] != null && pending[b].length > MIN_PENDING) {
            // give the raw buffer back: after a fold the bucket restarts small, so memory follows the tables
            pending[b] = new int[MIN_PENDING];
        }
        for (ExactPixelMetrics a : absorbed) {
            a.pendingSize[b] = 0;
            a.pending[b] = null;
        }
    }

    /** Raw pixels of bucket {@code b} not yet folded, here and in the accumulators merged in. */
    private int pendingOf(int b) {
        long n = pendingSize[b];
        for (ExactPixelMetrics a : absorbed) {
            n += a.pendingSize[b];
        }
        return Math.toIntExact(n);
    }

    /** This accumulator, then those merged in, in merge order. */
    private java.util.List<ExactPixelMetrics> sources() {
        if (absorbed.isEmpty()) {
            return java.util.List.of(this);
        }
        java.util.List<ExactPixelMetrics> all = new java.util.ArrayList<>(absorbed.size() + 1);
        all.add(this);
        all.addAll(absorbed);
        return all;
    }

    private void mergeInto(int b, char[] rl, int[] rp, int[] rn, int m) {
        int s = size[b];
        if (s == 0) {
            low[b] = Arrays.copyOf(rl, m);
            pos[b] = Arrays.copyOf(rp, m);
            neg[b] = Arrays.copyOf(rn, m);
            size[b] = m;
            return;
        }
        char[] al = low[b];
        int[] ap = pos[b];
        int[] an = neg[b];
        char[] ol = new char[s + m];
        int[] op = new int[s + m];
        int[] on = new int[s + m];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < s || j < m) {
            if (j >= m || (i < s && al[i] < rl[j])) {
                ol[k] = al[i];
                op[k] = ap[i];
                on[k++] = an[i++];
            } else if (i >= s || rl[j] < al[i]) {
                ol[k] = rl[j];
                op[k] = rp[j];
                on[k++] = rn[j++];
            } else {
                ol[k] = al[i];
                op[k] = Math.addExact(ap[i], rp[j]);
                on[k++] = Math.addExact(an[i++], rn[j++]);
            }
        }
        low[b] = k == ol.length ? ol : Arrays.copyOf(ol, k);
        pos[b] = k == op.length ? op : Arrays.copyOf(op, k);
        neg[b] = k == on.length ? on : Arrays.copyOf(on, k);
        size[b] = k;
    }

    /**
     * Adds everything counted by {@code other} (per-thread accumulators) to this one; {@code other} must not be used
     * afterwards. Its raw pixels stay in its buffers, which this one folds bucket by bucket with its own, so a merge
     * copies nothing; since every result is a sum of integer counts, the merged metrics do not depend on how pixels
     * were split between accumulators.
     */
    public void merge(ExactPixelMetrics other) {
        for (int b = 0; b < BUCKETS; b++) {
            if (other.size[b] > 0) {
                mergeInto(b, other.low[b], other.pos[b], other.neg[b], other.size[b]);
            }
            other.low[b] = null;
            other.pos[b] = null;
            other.neg[b] = null;
        }
        if (other.halfHistogram != null) {
            if (halfHistogram == null) {
                halfHistogram = new long[2 * 65536];
            }
            for (int i = 0; i < halfHistogram.length; i++) {
                halfHistogram[i] += other.halfHistogram[i];
            }
        }
        wideRuns.addAll(other.wideRuns);
        wideIsAnomaly.addAll(other.wideIsAnomaly);
        widePixels += other.widePixels;
        other.wideRuns.clear();
        other.wideIsAnomaly.clear();
        other.widePixels = 0;
        positives += other.positives;
        negatives += other.negatives;
        // the raw buffers stay where they are: every fold of a bucket reads them with this one's (no copy)
        absorbed.add(other);
        absorbed.addAll(other.absorbed);
        other.absorbed.clear();
        pendingTotal += other.pendingTotal;
        // no fold here: the next update past the budget folds, or compute(threads) folds in parallel
    }

    /** Anomaly pixels counted so far. */
    public long positives() {
        return positives;
    }

    /** Inlier pixels counted so far. */
    public long negatives() {
        return negatives;
    }

    /** Distinct score values held (the memory bound), after compacting every bucket. */
    public long distinctValues() {
        long d = 0;
        for (int b = 0; b < BUCKETS; b++) {
            compact(b);
            d += size[b];
        }
        return d;
    }

    /** The exact metrics (sklearn conventions) over everything added. */
    public PixelMetrics compute() {
        return compute(1);
    }

    /**
     * The exact metrics, folding the remaining raw pixels on {@code threads} threads; the result is identical for
     * every thread count. The walk down the thresholds is one sequential sum, so it runs on the calling thread while
     * the others fold: they take chunks of {@value #CHUNK} buckets from the top down (whichever is free takes the
     * next, since the work per bucket varies a hundredfold: non-negative scores all fall in the upper half of the
     * buckets, probabilities in a few hundred of them), and the walk waits for each chunk to be folded before it
     * reads it. Folding and walking one after the other left one core idle for a fifth of an evaluation.
     */
    public PixelMetrics compute(int threads) {
        CurveSummary sum = new CurveSummary(positives, negatives);
        if (widePixels == 0) {
            foldAndWalk(threads, sum::add);
        } else {
            Steps steps = new Steps();
            foldAndWalk(threads, steps);
            walkWide(steps, sum);
        }
        return sum.finish(PROTOCOL);
    }

    /** A consumer of thresholds walked from the top down with the cumulative counts at each. */
    private interface Walker {
        void add(double threshold, long tp, long fp);
    }

    /** The walk of the float32 and float16 pixels, kept to be merged with the float64 keys. */
    private static final class Steps implements Walker {
        long[] key = new long[64];
        long[] tp = new long[64];
        long[] fp = new long[64];
        int n;

        @Override
        public void add(double threshold, long t, long f) {
            if (n == key.length) {
                key = Arrays.copyOf(key, 2 * n);
                tp = Arrays.copyOf(tp, 2 * n);
                fp = Arrays.copyOf(fp, 2 * n);
            }
            key[n] = wideKey(threshold); // a float's value, exact as a double
            tp[n] = t;
            fp[n++] = f;
        }
    }

    /**
     * Walks the float64 runs down together with the float32 / float16 steps: a heap holds each run's next key (the
     * largest left); at each distinct value the pixels of every run and of the steps at that value are counted before
     * the point is added (ties collapsed across frames and types). No run is copied: 8 bytes a float64 pixel in all.
     */
    private void walkWide(Steps steps, CurveSummary sum) {
        int runs = wideRuns.size();
        long[][] run = wideRuns.toArray(new long[0][]);
        boolean[] anomaly = new boolean[runs];
        int[] next = new int[runs]; // index of each run's next key, walking down
        int[] heap = new int[runs]; // run ids, a max-heap on their next key
        int size = 0;
        for (int q = 0; q < runs; q++) {
            anomaly[q] = wideIsAnomaly.get(q);
            next[q] = run[q].length - 1;
            if (next[q] >= 0) {
                heap[size++] = q;
            }
        }
        for (int h = size / 2 - 1; h >= 0; h--) {
            siftDown(heap, size, h, run, next);
        }
        int r = 0;
        long tp = 0;
        long fp = 0;
        long stepTp = 0;
        long stepFp = 0;
        while (size > 0 || r < steps.n) {
            long k = size > 0 ? run[heap[0]][next[heap[0]]] : Long.MIN_VALUE; // no finite double's key
            if (r < steps.n && steps.key[r] > k) {
                k = steps.key[r];
            }
            while (size > 0) {
                int q = heap[0];
                long[] keys = run[q];
                int at = next[q];
                if (keys[at] != k) {
                    break;
                }
                int from = at;
                while (at >= 0 && keys[at] == k) {
                    at--;
                }
                if (anomaly[q]) {
                    tp += from - at;
                } else {
                    fp += from - at;
                }
                next[q] = at;
                if (at < 0) {
                    heap[0] = heap[--size]; // this run is done
                }
                if (size > 0) {
                    siftDown(heap, size, 0, run, next);
                }
            }
            if (r < steps.n && steps.key[r] == k) {
                tp += steps.tp[r] - stepTp;
                fp += steps.fp[r] - stepFp;
                stepTp = steps.tp[r];
                stepFp = steps.fp[r];
                r++;
            }
            sum.add(fromWideKey(k), tp, fp);
        }
    }

    /** Restores the max-heap order of {@code heap[0..size)} below position {@code h}. */
    private static void siftDown(int[] heap, int size, int h, long[][] run, int[] next) {
        int q = heap[h];
        long key = run[q][next[q]];
        while (true) {
            int c = 2 * h + 1;
            if (c >= size) {
                break;
            }
            long ck = run[heap[c]][next[heap[c]]];
            if (c + 1 < size) {
                long rk = run[heap[c + 1]][next[heap[c + 1]]];
                if (rk > ck) {
                    c++;
                    ck = rk;
                }
            }
            if (ck <= key) {
                break;
            }
            heap[h] = heap[c];
            h = c;
        }
        heap[h] = q;
    }

    /** Folds the float32 buckets (on {@code threads} threads) and walks them and the float16 histogram down. */
    private void foldAndWalk(int threads, Walker sum) {
        if (threads <= 1) {
            compactAll();
            walk(sum, null);
            return;
        }
        int chunks = BUCKETS / CHUNK;
        CountDownLatch[] folded = new CountDownLatch[chunks];
        for (int c = 0; c < chunks; c++) {
            folded[c] = new CountDownLatch(1);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = new Thread(() -> {
                int[] scratch = new int[2 * BUCKETS];
                try {
                    for (int k; failure.get() == null && (k = next.getAndIncrement()) < chunks; ) {
                        int c = chunks - 1 - k;
                        for (int b = c * CHUNK; b < (c + 1) * CHUNK; b++) {
                            compact(b, scratch);
                        }
                        folded[c].countDown();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    for (CountDownLatch l : folded) {
                        l.countDown(); // the walk must not wait for chunks nobody will fold
                    }
                }
            }, "exact-fold-" + w);
            workers[w].start();
        }
        try {
            walk(sum, c -> {
                try {
                    folded[c].await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while folding the score buckets", e);
                }
                Throwable t = failure.get();
                if (t != null) {
                    throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
                }
            });
        } finally {
            failure.compareAndSet(null, new IllegalStateException("the walk stopped")); // stop the folders early
            for (Thread t : workers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        pendingTotal = 0;
    }

    /**
     * Walks every bucket from the top down into {@code sum}; with {@code ready}, calls it with a chunk's index
     * before reading the chunk's buckets (it returns once another thread has folded them).
     */
    private void walk(Walker sum, IntConsumer ready) {
        // half-histogram entries become ordinary float keys, merged with the buckets in one descending walk
        int[] halfKeys = new int[0];
        long[] halfPos = new long[0];
        long[] halfNeg = new long[0];
        if (halfHistogram != null) {
            int count = 0;
            for (int h = 0; h < 65536; h++) {
                if (halfHistogram[2 * h] + halfHistogram[2 * h + 1] > 0) {
                    count++;
                }
            }
            halfKeys = new int[count];
            int c = 0;
            for (int h = 0; h < 65536; h++) {
                if (halfHistogram[2 * h] + halfHistogram[2 * h + 1] > 0) {
                    halfKeys[c++] = sortableKey(Half.toFloat((short) h));
                }
            }
            // sort keys as unsigned (descending walk later), keeping counts aligned
            long[] packed = new long[count];
            c = 0;
            for (int h = 0; h < 65536; h++) {
                if (halfHistogram[2 * h] + halfHistogram[2 * h + 1] > 0) {
                    packed[c] = (Integer.toUnsignedLong(halfKeys[c]) << 16) | h;
                    c++;
                }
            }
            Arrays.sort(packed);
            halfPos = new long[count];
            halfNeg = new long[count];
            for (int i = 0; i < count; i++) {
                int h = (int) (packed[i] & 0xffff);
                halfKeys[i] = (int) (packed[i] >>> 16);
                halfPos[i] = halfHistogram[2 * h + 1];
                halfNeg[i] = halfHistogram[2 * h];
            }
        }
        int hi = halfKeys.length - 1; // next half entry, walking down
        long tp = 0;
        long fp = 0;
        for (int b = BUCKETS - 1; b >= 0; b--) {
            if (ready != null && b % CHUNK == CHUNK - 1) {
                ready.accept(b / CHUNK);
            }
            compact(b);
            int s = size[b];
            char[] l = low[b];
            for (int i = s - 1; i >= 0; i--) {
                int key = (b << 16) | l[i];
                while (hi >= 0 && Integer.compareUnsigned(halfKeys[hi], key) > 0) {
                    tp += halfPos[hi];
                    fp += halfNeg[hi];
                    sum.add(fromSortableKey(halfKeys[hi]), tp, fp);
                    hi--;
                }
                tp += pos[b][i];
                fp += neg[b][i];
                if (hi >= 0 && halfKeys[hi] == key) {
                    tp += halfPos[hi];
                    fp += halfNeg[hi];
                    hi--;
                }
                sum.add(fromSortableKey(key), tp, fp);
            }
        }
        while (hi >= 0) {
            tp += halfPos[hi];
            fp += halfNeg[hi];
            sum.add(fromSortableKey(halfKeys[hi]), tp, fp);
            hi--;
        }
    }
}
