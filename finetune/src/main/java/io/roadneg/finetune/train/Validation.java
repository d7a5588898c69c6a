package io.roadneg.finetune.train;

import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.bench.Target;
import io.roadneg.evaluation.metrics.ExactPixelMetrics;
import io.roadneg.evaluation.metrics.PixelMetrics;
import io.roadneg.finetune.score.Inference;
import io.roadneg.finetune.score.Score;
import java.nio.file.Path;
import java.util.List;

/**
 * Per-epoch validation: closed-set mIoU on labelled inlier frames, and pooled AP / FPR95 of a score on an anomaly
 * benchmark (the exact protocol of {@code gen eval}).
 *
 * @param frames labelled inlier frames (Cityscapes val), may be empty
 * @param benchmark anomaly benchmark, or null
 * @param benchmarkRoot its root
 * @param score the score to rate
 */
public record Validation(List<CityscapesFrame> frames, Benchmark benchmark, Path benchmarkRoot, Score score) {
    /** The figures of one validation. */
    public record Result(double miou, int miouFrames, double ap, double fpr95, double auroc, int anomalyFrames) {
    }

    /** Runs it. */
    public Result run(Inference inf, int numClasses) {
        long[] inter = new long[numClasses];
        long[] union = new long[numClasses];
        for (CityscapesFrame f : frames) {
            int[] pred = inf.run(Images.readRgb(f.imagePath()), Inference::argmax);
            LabelMap gt = f.trainIds();
            int[] g = gt.data();
            for (int i = 0; i < g.length; i++) {
                int t = g[i];
                if (t >= numClasses || t == LabelValues.VOID) {
                    continue;
                }
                int p = pred[i];
                if (p == t) {
                    inter[t]++;
                    union[t]++;
                } else {
                    union[t]++;
                    union[p]++;
                }
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < numClasses; c++) {
            if (union[c] > 0) {
                sum += (double) inter[c] / union[c];
                present++;
            }
        }
        double miou = present == 0 ? Double.NaN : sum / present;
        if (benchmark == null) {
            return new Result(miou, frames.size(), Double.NaN, Double.NaN, Double.NaN, 0);
        }
        ExactPixelMetrics m = new ExactPixelMetrics();
        List<Frame> bf = benchmark.frames(benchmarkRoot);
        for (Frame f : bf) {
            Target t = benchmark.target(f);
            float[] s = inf.run(Images.readRgb(f.image()), score::maps);
            m.update(s, t.values());
        }
        PixelMetrics pm = m.compute();
        return new Result(miou, frames.size(), pm.ap(), pm.fpr95(), pm.auroc(), bf.size());
    }
}
