/**
 * S2M-style refinement of anomaly score maps beside the score readers it post-processes: threshold, boxes of the
 * connected components, a box-prompted segmenter, and the mask pixels take their box's score.
 */
package io.roadneg.evaluation.refine;
