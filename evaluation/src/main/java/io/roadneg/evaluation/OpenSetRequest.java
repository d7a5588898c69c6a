package io.roadneg.evaluation;

import io.roadneg.evaluation.bench.Benchmark;
import java.nio.file.Path;

/**
 * What open-set evaluation needs beside the anomaly scores.
 *
 * @param classes folder of per-frame class predictions ({@code {fid}.png} 8-bit train ids or {@code {fid}.npy})
 * @param calibrateOn the split whose TPR-95% threshold is used (DenseHybrid: t6 for t5 and vice versa), read from the
 *     same root; null calibrates on the evaluated split itself, which is optimistic and said so in the result
 * @param calibrationScores score maps of the calibration split; null means the same folder as the evaluated scores
 */
public record OpenSetRequest(Path classes, Benchmark calibrateOn, Path calibrationScores) {
}
