package io.roadneg.evaluation;

import io.roadneg.evaluation.metrics.ExactPixelMetrics;
import io.roadneg.evaluation.metrics.Half;
import io.roadneg.evaluation.metrics.PixelMetrics;
import io.roadneg.evaluation.scores.Npy;
import java.nio.file.Path;
import java.util.Random;

/**
 * Speed benchmark (not a test): exact AP / AUROC / FPR95 over 50 million pixels, float32 (bucketed path) and float16
 * (one-pass histogram). Run with
 * {@code java -Xmx2g -cp ... io.roadneg.evaluation.SpeedBenchmark [DIR]}; with DIR it also writes the same data as
 * {@code scores.npy} / {@code labels.npy} (float32) so sklearn can be timed on identical data.
 */
public final class SpeedBenchmark {
    private SpeedBenchmark() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        int frames = 25;
        int perFrame = 2_000_000;
        Random rnd = new Random(1);
        float[][] s = new float[frames][perFrame];
        byte[][] t = new byte[frames][perFrame];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < perFrame; i++) {
                boolean anomaly = rnd.nextInt(100) < 3;
                s[f][i] = (float) (rnd.nextGaussian() + (anomaly ? 1.5 : 0));
                t[f][i] = (byte) (rnd.nextInt(100) < 10 ? 255 : anomaly ? 1 : 0);
            }
        }
        if (args.length > 0) {
            float[] all = new float[frames * perFrame];
            float[] lab = new float[frames * perFrame];
            for (int f = 0; f < frames; f++) {
                System.arraycopy(s[f], 0, all, f * perFrame, perFrame);
                for (int i = 0; i < perFrame; i++) {
                    lab[f * perFrame + i] = t[f][i] & 0xff;
                }
            }
            Npy.write(Path.of(args[0], "scores.npy"), frames * perFrame, 1, all, false);
            Npy.write(Path.of(args[0], "labels.npy"), frames * perFrame, 1, lab, false);
        }
        for (int rep = 0; rep < 2; rep++) {
            System.gc();
            long t0 = System.nanoTime();
            ExactPixelMetrics m = new ExactPixelMetrics();
            for (int f = 0; f < frames; f++) {
                m.update(s[f], t[f]);
            }
            PixelMetrics r = m.compute();
            long t1 = System.nanoTime();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("float32: %.2f s  AP %.9f AUROC %.9f FPR95 %.9f  distinct %d  heap used %d MB%n",
                    (t1 - t0) / 1e9, r.ap(), r.auroc(), r.fpr95(), m.distinctValues(),
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
        short[][] h = new short[frames][perFrame];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < perFrame; i++) {
                h[f][i] = Half.fromFloat(s[f][i]);
            }
        }
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            ExactPixelMetrics m = new ExactPixelMetrics();
            for (int f = 0; f < frames; f++) {
                m.updateHalf(h[f], t[f]);
            }
            PixelMetrics r = m.compute();
            System.out.printf("float16: %.2f s  AP %.9f AUROC %.9f FPR95 %.9f%n", (System.nanoTime() - t0) / 1e9,
                    r.ap(), r.auroc(), r.fpr95());
        }
    }
}
