package io.roadneg.evaluation.metrics;

import io.roadneg.datasets.LabelValues;
import java.util.Arrays;

/**
 * Exact pooled AP, AUROC and FPR95 over all valid pixels of all frames, equal to sklearn's
 * {@code average_precision_score}, {@code roc_auc_score} and {@code roc_curve} (ties collapsed into one threshold).
 *
 * <p>Memory is bounded by the number of distinct score values, not by pixels: a float is mapped to its sortable int
 * bits and counted in one of 65536 buckets by the top 16 bits; each bucket keeps a sorted table of (low 16 bits,
 * anomaly count, inlier count) and a small buffer of raw pixels that is sorted and merged into the table when it
 * fills up (the buffer grows with the table, so the merge work stays O(n log n) in all). Float16 scores, which have only
 * 65536 values, go through one exact histogram instead. Not thread-safe: use one accumulator per thread and
 * {@link #merge}.
 */
public final class ExactPixelMetrics {
    private static final int BUCKETS = 1 << 16;
    private static final int MIN_PENDING = 16;

    private final int[][] pending = new int[BUCKETS][];
    private final int[] pendingSize = new int[BUCKETS];
    private final char[][] low = new char[BUCKETS][];
    private final int[][] pos = new int[BUCKETS][];
    private final int[][] neg = new int[BUCKETS][];
    private final int[] size = new int[BUCKETS];
    private long[] halfHistogram;
    private long positives;
    private long negatives;

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
     * Adds one frame: {@code scores[i]} is counted when {@code target[i]} is {@link LabelValues#ANOMALY} or
     * {@link LabelValues#INLIER}; any other target value is void. Scores must be finite (the caller validates).
     */
    public void update(float[] scores, byte[] target) {
        checkLength(scores.length, target.length);
        for (int i = 0; i < scores.length; i++) {
            int t = target[i];
            if (t == LabelValues.ANOMALY || t == LabelValues.INLIER) {
                add(sortableKey(scores[i]), t);
            }
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

    private void add(int key, int label) {
        int b = key >>> 16;
        int[] buf = pending[b];
        int n = pendingSize[b];
        if (buf == null) {
            buf = new int[MIN_PENDING];
            pending[b] = buf;
        } else if (n == buf.length) {
            compact(b);
            buf = pending[b];
            n = 0;
        }
        buf[n] = (key & 0xffff) << 1 | label;
        pendingSize[b] = n + 1;
        if (label == 1) {
            positives++;
        } else {
            negatives++;
        }
    }

    /** Sorts the bucket's buffer, run-length counts it and merges it into the bucket's table. */
    private void compact(int b) {
        int n = pendingSize[b];
        if (n == 0) {
            return;
        }
        int[] buf = pending[b];
        Arrays.sort(buf, 0, n);
        char[] rl = new char[n];
        int[] rp = new int[n];
        int[] rn = new int[n];
        int m = 0;
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
        mergeInto(b, rl, rp, rn, m);
        pendingSize[b] = 0;
        // grow the buffer with the table so that each pixel is merged O(log n) times at most
        int want = Math.max(MIN_PENDING, Math.min(size[b], 1 << 16));
        if (buf.length < want) {
            pending[b] = new int[want];
        }
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

    /** Adds everything counted by {@code other} (per-thread accumulators) to this one. */
    public void merge(ExactPixelMetrics other) {
        for (int b = 0; b < BUCKETS; b++) {
            other.compact(b);
            if (other.size[b] > 0) {
                compact(b);
                mergeInto(b, other.low[b], other.pos[b], other.neg[b], other.size[b]);
            }
        }
        if (other.halfHistogram != null) {
            if (halfHistogram == null) {
                halfHistogram = new long[2 * 65536];
            }
            for (int i = 0; i < halfHistogram.length; i++) {
                halfHistogram[i] += other.halfHistogram[i];
            }
        }
        positives += other.positives;
        negatives += other.negatives;
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
        return walk(new CurveSummary(CurveSummary.Convention.SKLEARN, positives, negatives))
                .finish("exact pooled (sklearn/bdl definition, ties collapsed)");
    }

    private CurveSummary walk(CurveSummary sum) {
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
        return sum;
    }
}
