/** Hybrid anomaly losses as composites of named terms: cross-entropy, DenseHybrid, RPL, PEBAL, Meta-OOD. */
package io.roadneg.finetune.loss;
