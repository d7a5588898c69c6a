package io.roadneg.evaluation;

import io.roadneg.evaluation.metrics.ExactPixelMetrics;
import io.roadneg.evaluation.metrics.Half;
import io.roadneg.evaluation.metrics.PixelMetrics;
import io.roadneg.evaluation.scores.Npy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Speed benchmark (not a test): exact AP / AUROC / FPR95 over 50 million pixels, float32 (bucketed path, on 1 and 2
 * threads through {@link FrameWorkers}) and float16 (one-pass histogram). Run with
 * {@code java -Xmx2g -cp ... io.roadneg.evaluation.SpeedBenchmark [DIR]}; with DIR it also writes the same data as
 * {@code scores.npy} / {@code labels.npy} (float32) so sklearn can be timed on identical data. The peak heap is
 * sampled every 5 ms; the input arrays themselves (about 250 MB) are part of it.
 */
public final class SpeedBenchmark {
    private SpeedBenchmark() {
    }

    /** Entry point. */
    public static void main(String[] args) throws InterruptedException {
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
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(mx.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        for (int threads : new int[] {1, 2, 1, 2, 1, 2}) {
            System.gc();
            peak.set(0);
            long t0 = System.nanoTime();
            List<ExactPixelMetrics> parts = FrameWorkers.run(frames, threads, ExactPixelMetrics::new,
                    (m, f) -> m.update(s[f], t[f]));
            ExactPixelMetrics m = parts.get(0);
            for (int w = 1; w < parts.size(); w++) {
                m.merge(parts.get(w));
            }
            long tu = System.nanoTime();
            PixelMetrics r = m.compute(threads);
            long t1 = System.nanoTime();
            System.out.printf("float32 %d thread(s): %.2f s (update+merge %.2f s, compute %.2f s)  AP %.12f AUROC %.12f"
                    + " FPR95 %.12f  peak heap %d MB%n", threads, (t1 - t0) / 1e9, (tu - t0) / 1e9, (t1 - tu) / 1e9,
                    r.ap(), r.auroc(), r.fpr95(), peak.get() >> 20);
        }
        long t0 = System.nanoTime();
        for (int f = 0; f < frames; f++) {
            ExactPixelMetrics.ofFrame(s[f], t[f]);
        }
        System.out.printf("per-frame exact (ofFrame), all %d frames: %.2f s%n", frames, (System.nanoTime() - t0) / 1e9);
        short[][] h = new short[frames][perFrame];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < perFrame; i++) {
                h[f][i] = Half.fromFloat(s[f][i]);
            }
        }
        for (int rep = 0; rep < 2; rep++) {
            t0 = System.nanoTime();
            ExactPixelMetrics m = new ExactPixelMetrics();
            for (int f = 0; f < frames; f++) {
                m.updateHalf(h[f], t[f]);
            }
            PixelMetrics r = m.compute();
            System.out.printf("float16: %.2f s  AP %.12f AUROC %.12f FPR95 %.12f%n", (System.nanoTime() - t0) / 1e9,
                    r.ap(), r.auroc(), r.fpr95());
        }
        sampler.interrupt();
    }
}
