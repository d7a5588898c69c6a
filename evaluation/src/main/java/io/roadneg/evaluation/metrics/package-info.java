/**
 * Streaming metric accumulators: exact pooled AP / AUROC / FPR95 (sklearn definitions), the SMIYC binned pixel metric,
 * SMIYC component metrics and open-set mIoU. Each has {@code update} per frame and {@code compute} at the end.
 */
package io.roadneg.evaluation.metrics;
