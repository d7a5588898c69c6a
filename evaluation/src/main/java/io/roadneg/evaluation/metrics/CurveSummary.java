package io.roadneg.evaluation.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks a pooled confusion curve from the highest threshold down and sums AP, AUROC, FPR95 and best F1 on the way,
 * keeping a thinned copy of the curve for plots, with sklearn's conventions (bdl-benchmark, PEBAL and RPL print
 * these): ROC starts at (0,0) and the first recall step counts in AP. The SMIYC scorer's own curve rules are in
 * {@link SmiycPixelMetrics}.
 */
public final class CurveSummary {
    /** A point of a thinned curve for plots. */
    public record Point(double threshold, double tpr, double fpr, double precision) {
    }

    private static final double PLOT_STEP = 1e-3;

    private final long positives;
    private final long negatives;
    private final List<Point> points = new ArrayList<>();
    private long prevTp;
    private long prevFp;
    private double prevPrecision = Double.NaN;
    private boolean started;
    private double ap;
    private double auroc;
    private double fpr95 = Double.NaN;
    private double thresholdAt95 = Double.NaN;
    private double bestF1 = Double.NaN;
    private double bestF1Threshold = Double.NaN;
    private double lastTpr = -1;
    private double lastFpr = -1;
    private double lastPrecision = -1;

    /** A summary over {@code positives} anomaly and {@code negatives} inlier pixels in all. */
    public CurveSummary(long positives, long negatives) {
        this.positives = positives;
        this.negatives = negatives;
    }

    /**
     * The next (lower) threshold, with the cumulative true and false positives at it (pixels with score at or above
     * it). Thresholds must come strictly descending.
     */
    public void add(double threshold, long tp, long fp) {
        if (tp + fp == 0) {
            return; // no prediction yet: precision undefined, both scorers skip such points
        }
        double tpr = positives == 0 ? Double.NaN : (double) tp / positives;
        double fpr = negatives == 0 ? Double.NaN : (double) fp / negatives;
        double precision = (double) tp / (tp + fp);
        double prevTpr = (double) prevTp / positives;
        double prevFprV = (double) prevFp / negatives;
        ap += (tpr - prevTpr) * precision;
        auroc += (fpr - prevFprV) * (tpr + prevTpr) / 2;
        if (Double.isNaN(fpr95) && tpr >= 0.95) {
            fpr95 = fpr;
            thresholdAt95 = threshold;
        }
        double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + (fp) + (positives - tp));
        if (Double.isNaN(bestF1) || f1 > bestF1) {
            bestF1 = f1;
            bestF1Threshold = threshold;
        }
        if (!started || Math.abs(tpr - lastTpr) >= PLOT_STEP || Math.abs(fpr - lastFpr) >= PLOT_STEP
                || Math.abs(precision - lastPrecision) >= PLOT_STEP * 10) {
            // measured against the last point kept: a jittery precision (random scores) must not keep every point
            points.add(new Point(threshold, tpr, fpr, precision));
            lastTpr = tpr;
            lastFpr = fpr;
            lastPrecision = precision;
        }
        prevPrecision = precision;
        started = true;
        prevTp = tp;
        prevFp = fp;
    }

    /** The metrics; AP, AUROC and FPR95 are NaN when a class is missing (undefined, never 0). */
    public PixelMetrics finish(String protocol) {
        if (started && points.get(points.size() - 1).tpr() != (double) prevTp / positives) {
            points.add(new Point(Double.NaN, (double) prevTp / positives, (double) prevFp / negatives,
                    prevPrecision));
        }
        boolean defined = positives > 0 && negatives > 0;
        return new PixelMetrics(protocol, positives, negatives,
                defined ? ap : Double.NaN, defined ? auroc : Double.NaN,
                defined ? (Double.isNaN(fpr95) ? 1.0 : fpr95) : Double.NaN,
                defined ? thresholdAt95 : Double.NaN,
                defined ? bestF1 : Double.NaN, defined ? bestF1Threshold : Double.NaN, List.copyOf(points));
    }
}
