package io.roadneg.evaluation.metrics;

/**
 * Open-set segmentation (DenseHybrid protocol): a pixel is predicted "anomaly" (class K) where its score is at or
 * above the calibrated threshold, else its argmax class among the K known classes. Accumulates the (K+1)-class confusion matrix
 * (void ignored) and, beside it, the closed-set confusion of the argmax alone on the known-class pixels.
 */
public final class OpenSetMetrics {
    /**
     * The results.
     *
     * @param threshold the anomaly score threshold used
     * @param openMIoU mean IoU over the K known classes with anomaly predictions taken out of them
     * @param anomalyIoU IoU of the anomaly class
     * @param closedMIoU mean IoU over the K known classes of the argmax alone (known-class pixels only)
     * @param classesPresent known classes that occur in the labels or predictions (the mean is over these)
     */
    public record Result(double threshold, double openMIoU, double anomalyIoU, double closedMIoU, int classesPresent) {
    }

    private final int k;
    private final double threshold;
    private final long[][] open;
    private final long[][] closed;

    /** An accumulator for {@code knownClasses} classes at the given score threshold. */
    public OpenSetMetrics(int knownClasses, double threshold) {
        this.k = knownClasses;
        this.threshold = threshold;
        this.open = new long[k + 1][k + 1];
        this.closed = new long[k][k];
    }

    /**
     * Adds one frame: {@code label} holds 0..K-1 known classes, K anomaly, anything else void; {@code argmax} the
     * predicted known class per pixel; {@code scores} the anomaly score.
     */
    public void update(int[] label, int[] argmax, float[] scores) {
        checkSizes(label, argmax, scores.length);
        for (int i = 0; i < label.length; i++) {
            // >= as in sklearn's roc_curve, so a threshold read at TPR 95% keeps TPR 95% on its own split
            count(label[i], argmax[i], scores[i] >= threshold, i);
        }
    }

    /** {@link #update(int[], int[], float[])} for float64 scores, compared with the threshold as doubles. */
    public void update(int[] label, int[] argmax, double[] scores) {
        checkSizes(label, argmax, scores.length);
        for (int i = 0; i < label.length; i++) {
            count(label[i], argmax[i], scores[i] >= threshold, i);
        }
    }

    private static void checkSizes(int[] label, int[] argmax, int scores) {
        if (label.length != argmax.length || label.length != scores) {
            throw new IllegalArgumentException("label, class prediction and scores differ in size: " + label.length
                    + ", " + argmax.length + ", " + scores);
        }
    }

    /** Counts pixel {@code i}: label {@code l}, predicted class {@code a}, scored at or above the threshold or not. */
    private void count(int l, int a, boolean anomalous, int i) {
        if (l < 0 || l > k) {
            return;
        }
        if (a < 0 || a >= k) {
            throw new IllegalArgumentException("class prediction " + a + " at pixel " + i + " is outside 0.."
                    + (k - 1));
        }
        open[l][anomalous ? k : a]++;
        if (l < k) {
            closed[l][a]++;
        }
    }

    /** Adds the confusion counts of {@code other} (same K and threshold; per-thread accumulators) to this one. */
    public void merge(OpenSetMetrics other) {
        if (other.k != k || other.threshold != threshold) {
            throw new IllegalArgumentException("cannot merge open-set accumulators with different K or threshold");
        }
        for (int r = 0; r <= k; r++) {
            for (int c = 0; c <= k; c++) {
                open[r][c] += other.open[r][c];
            }
        }
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                closed[r][c] += other.closed[r][c];
            }
        }
    }

    /** The mIoUs over everything added. */
    public Result compute() {
        double sumOpen = 0;
        double sumClosed = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            double iouOpen = iou(open, c);
            if (Double.isNaN(iouOpen)) {
                continue;
            }
            present++;
            sumOpen += iouOpen;
            double iouClosed = iou(closed, c);
            sumClosed += Double.isNaN(iouClosed) ? 0 : iouClosed;
        }
        return new Result(threshold, present == 0 ? Double.NaN : sumOpen / present, iou(open, k),
                present == 0 ? Double.NaN : sumClosed / present, present);
    }

    private static double iou(long[][] m, int c) {
        long tp = m[c][c];
        long row = 0;
        long col = 0;
        for (int j = 0; j < m.length; j++) {
            row += m[c][j];
            col += m[j][c];
        }
        long union = row + col - tp;
        return union == 0 ? Double.NaN : (double) tp / union;
    }
}
