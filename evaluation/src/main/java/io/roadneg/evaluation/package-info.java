/**
 * Evaluation on the standard road anomaly benchmarks: the library entry point {@link io.roadneg.evaluation.Evaluation}
 * reads a benchmark and per-frame score maps, runs the metric accumulators and writes the reports.
 */
package io.roadneg.evaluation;
