/**
 * Box-prompted (SAM-style) segmentation: one {@link io.roadneg.generators.masks.PromptableSegmenter} interface, GrabCut
 * as the weight-free default, and its uses: masks for box-only sources ({@link io.roadneg.generators.masks.MaskJob}),
 * box-prompted masks for paste sources ({@link io.roadneg.generators.masks.BoxPromptedMasks}); the S2M-style score
 * map refinement that also prompts it lives beside the score readers, in {@code io.roadneg.evaluation.refine}.
 */
package io.roadneg.generators.masks;
