package io.roadneg.evaluation.metrics;

import java.util.List;

/**
 * Pooled pixel metrics with the protocol that produced them. Values are NaN when undefined (no anomaly or no inlier
 * pixel): {@link #undefinedReason()} then says why, so no report prints a made-up 0.
 *
 * @param protocol how the numbers were computed (exact vs binned, pooled vs per-image)
 * @param positives anomaly pixels counted
 * @param negatives inlier pixels counted
 * @param ap average precision
 * @param auroc area under the ROC curve
 * @param fpr95 false positive rate at the first threshold with TPR >= 0.95
 * @param thresholdAtTpr95 the score threshold where FPR95 is read
 * @param bestF1 best pixel F1 over thresholds
 * @param bestF1Threshold the threshold of the best F1
 * @param curve a thinned copy of the curve for plots
 */
public record PixelMetrics(String protocol, long positives, long negatives, double ap, double auroc, double fpr95,
        double thresholdAtTpr95, double bestF1, double bestF1Threshold, List<CurveSummary.Point> curve) {

    /** Whether AP / AUROC / FPR95 are defined (both classes present). */
    public boolean defined() {
        return positives > 0 && negatives > 0;
    }

    /** Why the metrics are undefined, or null when they are defined. */
    public String undefinedReason() {
        if (positives == 0 && negatives == 0) {
            return "no valid (non-void) pixel in any frame";
        }
        if (positives == 0) {
            return "no anomaly pixel in any frame: AP, AUROC and FPR95 are undefined";
        }
        if (negatives == 0) {
            return "no inlier pixel in any frame: AUROC and FPR95 are undefined and AP is trivially 1";
        }
        return null;
    }
}
