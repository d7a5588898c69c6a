package io.roadneg.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.loss.LossConfig;
import io.roadneg.finetune.loss.CompositeLoss;
import io.roadneg.finetune.loss.Targets;
import io.roadneg.finetune.model.Checkpoints;
import io.roadneg.finetune.model.LadderSpec;
import io.roadneg.finetune.model.ModelSpec;
import io.roadneg.finetune.model.SegOutput;
import io.roadneg.finetune.train.Adam;
import io.roadneg.finetune.train.StepInputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training-step time of the built-in ladder segmenter (forward, cross-entropy, backward, Adam), the same step that
 * {@code finetune/scripts/ladder_step_reference.py} times in PyTorch, and native memory over many steps.
 * Arguments: {@code batch height width warmup steps [rssSteps]}; threads come from
 * {@code -Dai.djl.pytorch.num_threads} (set it equal to the PyTorch run's).
 */
public final class TrainStepBenchmark {
    private TrainStepBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws IOException {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int w = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int rssSteps = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        int k = 19;
        ModelSpec spec = new ModelSpec("ladder", LadderSpec.defaults(), null, k, List.of(), false,
                new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
        Random rng = new Random(0);
        // the step's inputs as the trainer gets them from its prefetch queue: 8-bit pixels and labels in direct
        // buffers; the step moves them to its device and normalises / builds targets there
        ByteBuffer pixels = ByteBuffer.allocateDirect(batch * 3 * h * w);
        ByteBuffer labels = ByteBuffer.allocateDirect(batch * h * w);
        int[] y = new int[batch * h * w];
        for (int i = 0; i < batch * 3 * h * w; i++) {
            pixels.put((byte) rng.nextInt(256));
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextDouble() < 0.05 ? 255 : rng.nextInt(k);
            labels.put((byte) y[i]);
        }
        pixels.flip();
        labels.flip();
        Batch hostBatch = new Batch(batch, 0, h, w, pixels, labels, 0, List.of(), null);
        Normalization norm = Normalization.imagenet();
        float[] x = new float[batch * 3 * h * w];
        for (int j = 0; j < batch; j++) {
            byte[] hwc = new byte[3 * h * w];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < h * w; i++) {
                    hwc[i * 3 + c] = pixels.get((j * 3 + c) * h * w + i);
                }
            }
            norm.write(new RgbImage(w, h, hwc), x, j * 3 * h * w);
        }
        CompositeLoss loss = new LossConfig.Ce().build();
        try (Checkpoints.Loaded m = Checkpoints.build(spec, 0)) {
            List<Parameter> params = m.net().trainableParameters();
            long count = 0;
            for (Parameter p : params) {
                p.getArray().setRequiresGradient(true);
                count += p.getArray().size();
            }
            try (Adam adam = new Adam(params, 0.9, 0.999, 1e-8, 0)) {
                double[] ms = new double[steps];
                double[] phases = new double[4];
                long rssStart = 0;
                int total = warmup + Math.max(steps, rssSteps);
                for (int s = 0; s < total; s++) {
                    long t0 = System.nanoTime();
                    try (NDManager sm = m.manager().newSubManager()) {
                        StepInputs si = StepInputs.of(sm, hostBatch, norm, k, s);
                        NDArray in = si.images();
                        Targets t = si.targets();
                        long a = System.nanoTime();
                        long b;
                        long c;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            SegOutput o = m.net().run(new ParameterStore(sm, false), in, true);
                            CompositeLoss.Value v = loss.compute(o, t);
                            b = System.nanoTime();
                            gc.backward(v.total());
                            c = System.nanoTime();
                        }
                        adam.step(1e-3);
                        long d = System.nanoTime();
                        if (s >= warmup && s - warmup < steps) {
                            phases[0] += (a - t0) / 1e6;
                            phases[1] += (b - a) / 1e6;
                            phases[2] += (c - b) / 1e6;
                            phases[3] += (d - c) / 1e6;
                        }
                    }
                    double el = (System.nanoTime() - t0) / 1e6;
                    if (s >= warmup && s - warmup < steps) {
                        ms[s - warmup] = el;
                    }
                    if (s == warmup + 49) {
                        rssStart = rssKb();
                    }
                }
                // the host-built inputs the step used before (float images and int labels turned into tensors and
                // targets on the host every step), timed on the same batch for the before / after comparison
                double hostPath = 0;
                for (int s = 0; s < warmup + steps; s++) {
                    long t0 = System.nanoTime();
                    try (NDManager sm = m.manager().newSubManager()) {
                        sm.create(x, new Shape(batch, 3, h, w));
                        new Targets(sm, y, batch, h, w, k, s);
                    }
                    if (s >= warmup) {
                        hostPath += (System.nanoTime() - t0) / 1e6;
                    }
                }
                double[] sorted = ms.clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "{\"framework\": \"djl %s\", \"threads\": \"%s\", \"batch\": %d, "
                        + "\"height\": %d, \"width\": %d, \"params\": %d, \"warmup\": %d, \"steps\": %d, "
                        + "\"mean_ms\": %.3f, \"median_ms\": %.3f, \"min_ms\": %.3f, \"max_rss_mb\": %.1f}%n",
                        Engine.getInstance().getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                        batch, h, w, count, warmup, steps, Arrays.stream(ms).average().orElse(0),
                        sorted[steps / 2], sorted[0], rssKb() / 1024.0);
                // each step's time, so a one-off slow step (a JIT compilation taking a core from libtorch's threads
                // in the first tens of steps) is seen as such and not only as a higher mean
                StringBuilder each = new StringBuilder();
                for (double v : ms) {
                    each.append(each.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", v));
                }
                System.out.println("ms per step, in order: " + each);
                System.out.printf(Locale.ROOT, "mean ms per phase: inputs %.1f, forward+loss %.1f, backward %.1f, "
                        + "optimizer %.1f%n", phases[0] / steps, phases[1] / steps, phases[2] / steps,
                        phases[3] / steps);
                System.out.printf(Locale.ROOT, "mean ms of the inputs built on the host as before (float[] / int[] "
                        + "to tensors, targets on the host): %.1f%n", hostPath / steps);
                if (rssSteps > 0) {
                    long end = rssKb();
                    System.out.printf(Locale.ROOT, "RSS after step 50: %.1f MB, after step %d: %.1f MB (%+.2f%%)%n",
                            rssStart / 1024.0, rssSteps, end / 1024.0, 100.0 * (end - rssStart) / rssStart);
                }
            }
        }
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
