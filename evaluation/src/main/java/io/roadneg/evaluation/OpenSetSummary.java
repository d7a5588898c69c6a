package io.roadneg.evaluation;

import io.roadneg.evaluation.metrics.OpenSetMetrics;

/**
 * Open-set results with the protocol that produced them.
 *
 * @param protocol how the threshold was chosen and applied, in words
 * @param calibratedOn the benchmark whose anomaly pixels set the threshold
 * @param knownClasses K
 * @param result open-mIoU, anomaly IoU, closed mIoU and the threshold
 */
public record OpenSetSummary(String protocol, String calibratedOn, int knownClasses,
        OpenSetMetrics.Result result) {
}
