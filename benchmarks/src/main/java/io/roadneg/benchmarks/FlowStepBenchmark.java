package io.roadneg.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.roadneg.flows.Adamax;
import io.roadneg.flows.DenseFlow;
import io.roadneg.flows.DenseFlowConfig;
import io.roadneg.flows.Noise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * DenseFlow training step (dequantise, log-likelihood in train mode, bits/dim, backward, Adamax at lr 1e-3) and
 * sampling throughput (eval mode, temperature 1), the same work {@code flows/scripts/flow_step_reference.py} times in
 * PyTorch. Arguments: {@code config batch size warmup steps sampleReps [engine|seeded]}; threads from
 * {@code -Dai.djl.pytorch.num_threads}. Prints one JSON line.
 */
public final class FlowStepBenchmark {
    private FlowStepBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws IOException {
        DenseFlowConfig cfg = DenseFlowConfig.load(Path.of(args.length > 0 ? args[0] : "configs/flows/denseflow-cpu.yaml"),
                Map.of());
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        int sampleReps = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        Random rng = new Random(0);
        float[] x = new float[batch * cfg.channels() * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(1 << cfg.numBits());
        }
        Shape shape = new Shape(batch, cfg.channels(), size, size);
        // the engine's generator, as the PyTorch reference's torch.randn; "seeded" times the per-item host draws
        Noise noise = args.length > 6 && args[6].equals("seeded") ? Noise.seeded(0, 0) : Noise.engine();
        try (DenseFlow flow = new DenseFlow(cfg, 0); NDManager root = NDManager.newBaseManager()) {
            List<NDArray> params = flow.params().parameters();
            try (NDManager m = root.newSubManager()) {
                flow.initialize(m.create(x, shape), noise);
            }
            double[] ms = new double[steps];
            double[] fwd = new double[steps];
            double[] bwd = new double[steps];
            double[] upd = new double[steps];
            double lastBpd = Double.NaN;
            try (Adamax opt = new Adamax(params, 0.9, 0.999, 1e-8)) {
                for (int s = 0; s < warmup + steps; s++) {
                    long t0 = System.nanoTime();
                    long t1;
                    long t2;
                    long t3;
                    try (NDManager m = root.newSubManager()) {
                        NDArray in = m.create(x, shape);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray bpd = flow.bitsPerDim(in, true, noise);
                            lastBpd = bpd.getFloat(); // waits for the forward pass (as .item() would)
                            t1 = System.nanoTime();
                            gc.backward(bpd);
                            t2 = System.nanoTime();
                        }
                        opt.step(1e-3);
                        t3 = System.nanoTime();
                    }
                    if (s >= warmup) {
                        ms[s - warmup] = (System.nanoTime() - t0) / 1e6;
                        fwd[s - warmup] = (t1 - t0) / 1e6;
                        bwd[s - warmup] = (t2 - t1) / 1e6;
                        upd[s - warmup] = (t3 - t2) / 1e6;
                    }
                }
            }
            double[] sampleMs = new double[sampleReps];
            for (int r = 0; r < sampleReps + 1; r++) {
                long t0 = System.nanoTime();
                try (NDManager m = root.newSubManager()) {
                    flow.sampleContinuous(m, batch, size, size, 1.0, noise, false).toFloatArray();
                }
                if (r > 0) {
                    sampleMs[r - 1] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double[] sSorted = sampleMs.clone();
            Arrays.sort(sSorted);
            System.out.printf(Locale.ROOT, "{\"framework\": \"djl %s\", \"config\": \"%s\", \"threads\": \"%s\", "
                    + "\"batch\": %d, \"size\": %d, \"params\": %d, \"warmup\": %d, \"steps\": %d, \"mean_ms\": %.1f, "
                    + "\"median_ms\": %.1f, \"min_ms\": %.1f, \"last_bpd\": %.4f, \"sample_median_ms\": %.1f, "
                    + "\"samples_per_s\": %.2f, \"max_rss_mb\": %.1f, \"forward_median_ms\": %.1f, "
                    + "\"backward_median_ms\": %.1f, \"optimizer_median_ms\": %.1f}%n",
                    Engine.getInstance().getVersion(), cfg.name(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), batch, size,
                    flow.params().parameterCount(), warmup, steps, Arrays.stream(ms).average().orElse(0),
                    sorted[steps / 2], sorted[0], lastBpd, sSorted[sampleReps / 2],
                    batch / (sSorted[sampleReps / 2] / 1000), TrainStepBenchmark.rssKb() / 1024.0, median(fwd),
                    median(bwd), median(upd));
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
