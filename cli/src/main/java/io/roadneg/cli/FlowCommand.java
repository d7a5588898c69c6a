package io.roadneg.cli;

import ai.djl.Device;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.flows.DenseFlowConfig;
import io.roadneg.flows.FlowData;
import io.roadneg.flows.FlowRun;
import io.roadneg.flows.FlowSampler;
import io.roadneg.flows.FlowSampleJob;
import io.roadneg.flows.FlowTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen flow}: pre-train a DenseFlow on inlier crops and draw samples from it. */
@Command(name = "flow", mixinStandardHelpOptions = true, subcommands = {FlowCommand.Train.class,
        FlowCommand.Sample.class},
        description = "DenseFlow, the normalizing flow whose samples are synthetic negatives (DenseHybrid, NFlowJS): "
                + "train it on inlier crops, sample it. Paste its samples with gen paste --src flow --flow RUN.")
final class FlowCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code gen flow train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Pre-train a DenseFlow on random square crops of inlier images: bits/dim per step in "
                    + "RUN/train.jsonl, held-out bits/dim per epoch (beside PNG's own size of the same crops) in "
                    + "RUN/validation.jsonl, a sample grid per epoch in RUN/samples/, the curve in "
                    + "RUN/bits-per-dim.png, a checkpoint per epoch; --resume continues exactly. A non-finite loss "
                    + "stops the run (exit 1) keeping the last good checkpoint.",
                "Without --cityscapes-root / --coco-root it trains on the bundled sample data."})
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        DatasetRootOptions roots;

        @Mixin
        DeviceOption device;

        @Option(names = "--data", required = true, paramLabel = "cityscapes|coco|DIR",
                description = "Inlier images: the Cityscapes train split (val held out), COCO train2017 (val2017 held "
                        + "out), or an image folder (every 5th image held out).")
        String data;

        @Option(names = "--crop", defaultValue = "64", description = "Crop side in pixels (default: ${DEFAULT-VALUE}).")
        int crop;

        @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder.")
        Path out;

        @Option(names = "--preset", defaultValue = "denseflow-cpu", paramLabel = "NAME",
                description = "Flow configuration preset: denseflow-cpu, denseflow-published (default: "
                        + "${DEFAULT-VALUE}); --config and --set overlay it.")
        String preset;

        @Option(names = "--resume", description = "Continue the run in --out from its latest checkpoint.")
        boolean resume;

        @Option(names = "--batch", paramLabel = "N", description = "Crops per step (default: the configuration's "
                + "optimizer.batch).")
        Integer batch;

        @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--steps-per-epoch", defaultValue = "100", paramLabel = "N",
                description = "Steps per epoch (default: ${DEFAULT-VALUE}).")
        int stepsPerEpoch;

        @Option(names = "--validation-crops", defaultValue = "64", paramLabel = "N",
                description = "Held-out crops evaluated per epoch (default: ${DEFAULT-VALUE}).")
        int validationCrops;

        @Option(names = "--grid-temperature", defaultValue = "0.8", paramLabel = "T",
                description = "Temperature of the per-epoch sample grid (default: ${DEFAULT-VALUE}).")
        double gridTemperature;

        @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            // a resumed run keeps its config.yaml; a --config or --set given with --resume must agree with it
            DenseFlowConfig cfg = resume && common.config() == null && common.overrides().isEmpty()
                    && java.nio.file.Files.isRegularFile(out.resolve(FlowRun.CONFIG))
                    ? DenseFlowConfig.load(out.resolve(FlowRun.CONFIG), Map.of()) : config();
            Device d = device.resolve(o);
            SourceRoots context = new SourceRoots(roots, o, quiet, "gen flow train");
            Path cityscapes = data.equals("cityscapes") ? context.cityscapes() : null;
            Path coco = data.equals("coco") ? (roots.sourceRoots().get("coco") != null ? roots.sourceRoots()
                    .get("coco") : context.sampleData().resolve("coco")) : null;
            FlowData images = FlowData.resolve(data, cityscapes, coco);
            FlowTrainer.Options opts = new FlowTrainer.Options(cfg, data, images.train(), images.validation(), crop,
                    batch != null ? batch : cfg.optimizer().batch(), epochs, stepsPerEpoch, validationCrops,
                    gridTemperature, common.seed(), out, resume, d);
            try (OutputLock lock = OutputLock.acquire(out, "--out")) {
                o.printf("gen flow train: %s (%,d parameters), %s; crops %dx%d, batch %d, %d epochs of %d steps, "
                        + "seed %d%n", cfg.name(), parameters(cfg), images.description(), crop, crop, opts.batch(),
                        epochs, stepsPerEpoch, common.seed());
                o.flush();
                FlowTrainer.Result r = FlowTrainer.run(opts, ProgressBars.stderr(quiet), line -> {
                    o.println("gen flow train: " + line);
                    o.flush();
                });
                o.printf("%s after step %d: train %.4f, held-out %.4f bits/dim; PNG (level 9) of the same held-out "
                        + "crops %.4f bits/dim; checkpoint %s%n", r.stoppedNonFinite() ? "stopped" : "done",
                        r.steps(), r.lastTrainBitsPerDim(), r.lastValidationBitsPerDim(), r.pngBitsPerDim(),
                        r.checkpoint() == null ? "none" : r.checkpoint());
                return r.stoppedNonFinite() ? Gen.EXIT_FAILURE : Gen.EXIT_OK;
            }
        }

        private DenseFlowConfig config() {
            return DenseFlowConfig.load(preset, common.config(), common.overrides());
        }

        private static long parameters(DenseFlowConfig cfg) {
            try (io.roadneg.flows.DenseFlow f = new io.roadneg.flows.DenseFlow(cfg, 0)) {
                return f.params().parameterCount();
            }
        }
    }

    /** {@code gen flow sample}. */
    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Draw samples from a trained flow: DIR/sample-NNNNN.png, DIR/grid.png and DIR/manifest.json. "
                    + "Sample i depends only on the flow, --size, --temperature, --seed and i (byte-identical across "
                    + "runs, threads and --count).")
    static final class Sample implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DeviceOption device;

        @Option(names = "--model", required = true, paramLabel = "RUN", description = "Flow run folder (gen flow "
                + "train --out) or exported flow folder (flow.json, flow.pt: flows/scripts/"
                + "export_denseflow_torchscript.py).")
        Path model;

        @Option(names = "--count", required = true, paramLabel = "N", description = "Number of samples.")
        int count;

        @Option(names = "--size", defaultValue = "64", description = "Sample side in pixels; the flow's squeezes must "
                + "divide it (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--temperature", defaultValue = "0.8", paramLabel = "T",
                description = "Scales the latents' standard deviation; > 0 (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (resumable).")
        Path out;

        @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
        boolean quiet;

        @Option(names = {"-v", "--verbose"}, description = "Print stack traces and details.")
        boolean verbose;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new InputException(null, "--temperature", temperature, "must be a positive number");
            }
            if (count <= 0) {
                throw new InputException(null, "--count", count, "must be positive");
            }
            Device d = device.resolve(o);
            try (FlowSampler run = FlowSampler.open(model, d, "--model")) {
                FlowSampleJob.Options opts = new FlowSampleJob.Options(run, count, size, temperature, seed, out);
                try (OutputLock lock = OutputLock.acquire(out, "--out")) {
                    o.printf("gen flow sample: %s, %d samples of %dx%d at temperature %s, seed %d%n", run.describe(),
                            count, size, size, temperature, seed);
                    o.flush();
                    FlowSampleJob.Result r = FlowSampleJob.run(opts, ProgressBars.stderr(quiet));
                    o.printf("made %d, already there %d; grid %s, manifest %s%n", r.made(), r.alreadyThere(), r.grid(),
                            r.manifest());
                    return Gen.EXIT_OK;
                }
            }
        }
    }
}
