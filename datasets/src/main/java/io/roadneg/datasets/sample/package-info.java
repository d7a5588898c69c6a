/**
 * Embedded sample datasets: small procedurally drawn sets in the exact layouts of Cityscapes, COCO, ADE20K
 * SceneParsing and the anomaly benchmarks, so every command runs and every module tests without downloads. Entry
 * point: {@link io.roadneg.datasets.sample.SampleData#generate}.
 */
package io.roadneg.datasets.sample;
