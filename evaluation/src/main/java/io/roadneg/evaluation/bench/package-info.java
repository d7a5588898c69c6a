/** Readers for the anomaly benchmarks in their distributed layouts, each with its own void rule. */
package io.roadneg.evaluation.bench;
