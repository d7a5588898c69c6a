/**
 * Box-prompted (SAM-style) segmentation: one {@link io.roadneg.generators.masks.PromptableSegmenter} interface, GrabCut
 * as the weight-free default, and its uses: masks for box-only sources ({@link io.roadneg.generators.masks.MaskJob}),
 * box-prompted masks for paste sources ({@link io.roadneg.generators.masks.BoxPromptedMasks}) and S2M-style score map
 * refinement ({@link io.roadneg.generators.masks.ScoreRefiner}).
 */
package io.roadneg.generators.masks;
