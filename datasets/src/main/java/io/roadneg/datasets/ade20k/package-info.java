/**
 * ADE20K: the SceneParsing release (ADEChallengeData2016: image/annotation pairs, the 150-class table of
 * {@code objectInfo150.csv}) and the colour-coded {@code _seg.png} masks of the full dataset.
 */
package io.roadneg.datasets.ade20k;
