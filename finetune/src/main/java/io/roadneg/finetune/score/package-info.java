/** Pixel anomaly scores from a network's outputs and the score-map writer that {@code gen eval} reads. */
package io.roadneg.finetune.score;
