/**
 * The bundled outlier sources, each behind an {@link io.roadneg.generators.OutlierSourceProvider}: COCO objects with
 * the Meta-OOD filter, DenseHybrid's ADE20K negatives and noisy patches of any image folder.
 */
package io.roadneg.generators.sources;
