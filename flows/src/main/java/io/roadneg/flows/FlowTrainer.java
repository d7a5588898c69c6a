package io.roadneg.flows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Provenance;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.RunFolders;
import io.roadneg.datasets.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Pre-training of a DenseFlow on random square crops of inlier images ({@code gen flow train}): Adamax with the
 * configuration's linear warm-up and per-epoch decay, bits/dim per step in {@code train.jsonl}, held-out bits/dim per
 * epoch in {@code validation.jsonl} (beside PNG's own size of the same crops), a sample grid and the curve
 * ({@link FlowCurve}) per epoch, a checkpoint per epoch (see {@link FlowRun} for the folder), exact resume, and a guard that stops at a non-finite loss or weight
 * keeping the last good checkpoint.
 *
 * <p>Crop k of the run (k = step x batch + row) is drawn from its own stream {@code flow/crop}, and its
 * dequantisation noise from {@code Noise.seeded}, so batches and losses do not depend on threads or on where a run
 * was stopped and resumed.
 */
public final class FlowTrainer {
    /** Seed streams of the trainer. */
    static final String CROP = "flow/crop";
    static final String NOISE = "flow/noise";
    static final String VALIDATION = "flow/validation";
    static final String GRID = "flow/grid";
    /** The run identity file. */
    public static final String RUN_JSON = "run.json";
    /** Per-step losses. */
    public static final String TRAIN_LOG = "train.jsonl";
    /** Per-epoch held-out losses. */
    public static final String VALIDATION_LOG = "validation.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DECODED_CACHE = 48;

    private FlowTrainer() {
    }

    /**
     * What to train.
     *
     * @param config the architecture and optimiser
     * @param data what the crops come from, as the user named it (recorded)
     * @param trainImages training images (sorted)
     * @param validationImages held-out images (sorted)
     * @param crop crop side in pixels
     * @param batch crops per step
     * @param epochs epochs to reach (a resumed run continues to this many)
     * @param stepsPerEpoch steps per epoch
     * @param validationCrops held-out crops evaluated per epoch
     * @param gridTemperature temperature of the per-epoch sample grid
     * @param seed run seed
     * @param out run folder
     * @param resume continue the run in {@code out}
     * @param device where the flow runs (null: the engine's default)
     */
    public record Options(DenseFlowConfig config, String data, List<Path> trainImages, List<Path> validationImages,
            int crop, int batch, int epochs, int stepsPerEpoch, int validationCrops, double gridTemperature,
            long seed, Path out, boolean resume, Device device) {
        /** Checks the numbers, and the crop against the flow's squeezes, before any work. */
        public Options {
            DenseFlow.checkSize(config, crop, crop, "--crop");
            positive("--batch", batch);
            positive("--epochs", epochs);
            positive("--steps-per-epoch", stepsPerEpoch);
            positive("--validation-crops", validationCrops);
            if (!(gridTemperature > 0) || Double.isInfinite(gridTemperature)) {
                throw new InputException(null, "--grid-temperature", gridTemperature, "must be a positive number");
            }
            trainImages = List.copyOf(trainImages);
            validationImages = List.copyOf(validationImages);
        }

        private static void positive(String option, int v) {
            if (v <= 0) {
                throw new InputException(null, option, v, "must be positive");
            }
        }
    }

    /**
     * How a run ended.
     *
     * @param out the run folder
     * @param startStep the step it started (or resumed) at
     * @param steps steps done in total
     * @param lastTrainBitsPerDim the last step's bits/dim
     * @param lastValidationBitsPerDim the last epoch's held-out bits/dim, or NaN when none ran
     * @param pngBitsPerDim PNG's own size of the held-out crops, bits per sub-pixel
     * @param stoppedNonFinite whether the non-finite guard stopped it
     * @param checkpoint the newest good checkpoint, or null
     */
    public record Result(Path out, long startStep, long steps, double lastTrainBitsPerDim,
            double lastValidationBitsPerDim, double pngBitsPerDim, boolean stoppedNonFinite, Path checkpoint) {
    }

    /** Trains (or resumes) a run; lines for the user go to {@code say}. */
    public static Result run(Options o, Progress progress, Consumer<String> say) {
        DenseFlowConfig cfg = o.config();
        Path out = o.out();
        Crops train = new Crops(o.trainImages(), o.crop(), "training");
        Crops held = new Crops(o.validationImages(), o.crop(), "held-out");
        JsonNode identity = identity(o);
        Path runJson = out.resolve(RUN_JSON);
        JsonNode old = FlowSampleJob.readIfPresent(runJson);
        if (o.resume()) {
            if (old == null) {
                throw new InputException(runJson, "--resume", out, "no run to resume here (no " + RUN_JSON + ")");
            }
            RunFolders.refuseAnother(runJson, old, identity, List.of(), "resume with the same options or use a new"
                    + " --out");
        } else if (old != null || Files.exists(out.resolve(FlowRun.CHECKPOINTS))) {
            throw new InputException(out, "--out", out, "holds a flow run already: add --resume to continue it, or "
                    + "use a new folder");
        } else {
            RunFolders.refuseUnknown(out, RUN_JSON);
        }
        Path resumeFrom = o.resume() && Files.exists(out.resolve(FlowRun.CHECKPOINTS).resolve(FlowRun.LATEST))
                ? FlowRun.latestCheckpoint(out, "--resume") : null;

        try (DenseFlow flow = new DenseFlow(cfg, o.seed(), o.device());
                NDManager root = NDManager.newBaseManager(o.device());
                Adamax opt = new Adamax(flow.params().parameters(), cfg.optimizer().betas().get(0),
                        cfg.optimizer().betas().get(1), cfg.optimizer().eps())) {
            long start = 0;
            if (resumeFrom != null) {
                FlowRun.loadParams(flow, resumeFrom.resolve(FlowRun.FLOW_FILE), "--resume");
                try {
                    opt.load(resumeFrom.resolve(FlowRun.OPTIMIZER_FILE));
                } catch (IOException | IllegalArgumentException e) {
                    throw new InputException(resumeFrom.resolve(FlowRun.OPTIMIZER_FILE), "--resume", out,
                            "optimizer state does not fit this flow: " + e.getMessage(), e);
                }
                start = FlowRun.stepOf(resumeFrom);
                say.accept("resuming at step " + start + " from " + out.relativize(resumeFrom));
            } else {
                AtomicFiles.write(runJson, pretty(identity));
                FlowRun.writeConfig(out, cfg);
                AtomicFiles.write(out.resolve("provenance.json"), pretty(JSON.valueToTree(Provenance.run(
                        "gen flow train", cfg.name(), Sha256.of(Configs.toYaml(cfg)), o.seed()))));
            }
            // lines a stopped run wrote after its last checkpoint are redone, so the logs hold each step once
            int per = o.stepsPerEpoch();
            truncate(out.resolve(TRAIN_LOG), "step", start);
            truncate(out.resolve(VALIDATION_LOG), "step", start);

            float[] validation = held.batch(o.seed(), VALIDATION, 0, o.validationCrops());
            double png = held.pngBitsPerDim(o.seed(), VALIDATION, o.validationCrops());
            long total = (long) o.epochs() * per;
            double lastTrain = Double.NaN;
            double lastValidation = Double.NaN;
            Path good = resumeFrom;
            progress.start("flow train", total - Math.min(start, total));
            try {
                for (long s = start; s < total; s++) {
                    long t0 = System.nanoTime();
                    int epoch = (int) (s / per);
                    double lr = cfg.optimizer().lr() * Math.min(1.0, (s + 1.0) / cfg.optimizer().warmupSteps())
                            * Math.pow(cfg.optimizer().gamma(), epoch);
                    float[] x = train.batch(o.seed(), CROP, s * o.batch(), o.batch());
                    double bpd;
                    try (NDManager step = root.newSubManager()) {
                        NDArray batch = step.create(x, new Shape(o.batch(), 3, o.crop(), o.crop()));
                        Noise noise = Noise.seeded(Seeds.of(o.seed(), NOISE, 0), s * o.batch());
                        if (s == 0) {
                            // ActNorm's data-dependent initialisation on the first batch (as Glow), outside recording
                            flow.initialize(batch, Noise.seeded(Seeds.of(o.seed(), NOISE, 1), 0));
                        }
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray loss = flow.bitsPerDim(batch, true, noise);
                            bpd = loss.getFloat();
                            if (Double.isFinite(bpd)) {
                                gc.backward(loss);
                            }
                        }
                    }
                    if (!Double.isFinite(bpd)) {
                        say.accept("step " + (s + 1) + ": bits/dim is " + bpd + "; stopping, the last good checkpoint "
                                + "is " + (good == null ? "none (no epoch finished)" : out.relativize(good)));
                        return new Result(out, start, s, lastTrain, lastValidation, png, true, good);
                    }
                    opt.step(lr);
                    lastTrain = bpd;
                    ObjectNode line = JSON.createObjectNode().put("step", s + 1).put("epoch", epoch + 1)
                            .put("bitsPerDim", bpd).put("lr", lr).put("ms", (System.nanoTime() - t0) / 1_000_000);
                    append(out.resolve(TRAIN_LOG), line);
                    progress.step(1);
                    if ((s + 1) % per == 0) {
                        if (!finite(flow)) {
                            say.accept("epoch " + (epoch + 1) + ": a weight is not finite; stopping, the last good "
                                    + "checkpoint is " + (good == null ? "none" : out.relativize(good)));
                            return new Result(out, start, s + 1, lastTrain, lastValidation, png, true, good);
                        }
                        lastValidation = validate(flow, root, validation, o);
                        append(out.resolve(VALIDATION_LOG), JSON.createObjectNode().put("step", s + 1)
                                .put("epoch", epoch + 1).put("bitsPerDim", lastValidation)
                                .put("pngBitsPerDim", png).put("crops", o.validationCrops()));
                        writeGrid(flow, root, o, epoch + 1);
                        FlowCurve.write(out);
                        ObjectNode state = JSON.createObjectNode().put("step", s + 1).put("epoch", epoch + 1)
                                .put("trainBitsPerDim", bpd).put("validationBitsPerDim", lastValidation);
                        good = FlowRun.writeCheckpoint(out, s + 1, flow, opt, state);
                        say.accept(String.format("epoch %d (step %d): train %.4f, held-out %.4f bits/dim (PNG %.4f)",
                                epoch + 1, s + 1, bpd, lastValidation, png));
                    }
                }
            } finally {
                progress.close();
            }
            return new Result(out, start, total, lastTrain, lastValidation, png, false, good);
        }
    }

    /** Held-out bits/dim (eval mode), in chunks of the batch size, each crop with its own fixed noise. */
    static double validate(DenseFlow flow, NDManager root, float[] crops, Options o) {
        int n = o.validationCrops();
        int per = 3 * o.crop() * o.crop();
        double sum = 0;
        for (int i = 0; i < n; i += o.batch()) {
            int k = Math.min(o.batch(), n - i);
            float[] chunk = new float[k * per];
            System.arraycopy(crops, i * per, chunk, 0, k * per);
            try (NDManager m = root.newSubManager()) {
                NDArray lp = flow.logProb(m.create(chunk, new Shape(k, 3, o.crop(), o.crop())), false,
                        Noise.seeded(Seeds.of(o.seed(), VALIDATION, 1), i));
                sum += lp.sum().getFloat();
            }
        }
        return -sum / (Math.log(2) * n * per);
    }

    private static void writeGrid(DenseFlow flow, NDManager root, Options o, int epoch) {
        try (NDManager m = root.newSubManager()) {
            NDArray s = flow.sample(m, 16, o.crop(), o.crop(), o.gridTemperature(),
                    Noise.seeded(Seeds.of(o.seed(), GRID, 0), 0));
            RgbImage g = FlowImages.grid(FlowImages.images(s), 4, 2);
            Images.writePng(o.out().resolve("samples").resolve(String.format("epoch-%04d.png", epoch)), g, 9,
                    Map.of());
        }
    }

    private static boolean finite(DenseFlow flow) {
        for (NDArray p : flow.params().parameters()) {
            try (NDArray s = p.sum()) {
                if (!Float.isFinite(s.getFloat())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode identity(Options o) {
        ObjectNode id = JSON.createObjectNode();
        id.put("command", "gen flow train");
        id.put("config", o.config().name());
        id.put("configSha256", Sha256.of(Configs.toYaml(o.config())));
        id.put("data", o.data());
        id.put("trainImages", o.trainImages().size());
        id.put("validationImages", o.validationImages().size());
        id.put("crop", o.crop());
        id.put("batch", o.batch());
        id.put("stepsPerEpoch", o.stepsPerEpoch());
        id.put("validationCrops", o.validationCrops());
        id.put("gridTemperature", o.gridTemperature());
        id.put("seed", o.seed());
        try {
            return JSON.readTree(JSON.writeValueAsString(id)); // numbers as a reread run.json holds them
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] pretty(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    private static void append(Path log, ObjectNode line) {
        try {
            Files.writeString(log, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the lines of a JSON-lines log whose {@code key} is at most {@code upTo} (rewritten atomically). */
    private static void truncate(Path log, String key, long upTo) {
        if (!Files.isRegularFile(log)) {
            return;
        }
        try {
            List<String> keep = new ArrayList<>();
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (l.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(l);
                } catch (IOException e) {
                    continue; // a torn last line of a killed run
                }
                if (n.path(key).asLong(Long.MAX_VALUE) <= upTo) {
                    keep.add(l);
                }
            }
            AtomicFiles.write(log, (keep.isEmpty() ? "" : String.join("\n", keep) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log + ": " + e.getMessage(), e);
        }
    }

    /** Random square crops of a list of images, each crop from its own seeded stream; decoded images are cached. */
    static final class Crops {
        private final List<Path> images;
        private final int[][] sizes;
        private final int size;
        private final Map<Path, RgbImage> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, RgbImage> e) {
                return size() > DECODED_CACHE;
            }
        };

        Crops(List<Path> all, int size, String what) {
            this.size = size;
            List<Path> ok = new ArrayList<>();
            List<int[]> dims = new ArrayList<>();
            for (Path p : all) {
                // declared size from the header before anything is decoded; images smaller than a crop are left out
                var info = Images.info(p);
                if (info.getWidth() >= size && info.getHeight() >= size) {
                    ok.add(p);
                    dims.add(new int[] {info.getWidth(), info.getHeight()});
                }
            }
            if (ok.isEmpty()) {
                throw new InputException(null, "--data", what, "no " + what + " image of at least " + size + "x"
                        + size + " (of " + all.size() + ")");
            }
            this.images = ok;
            this.sizes = dims.toArray(new int[0][]);
        }

        /** Crops {@code first .. first + count - 1} of stream {@code stream}, N x 3 x S x S values 0..255. */
        float[] batch(long seed, String stream, long first, int count) {
            int per = 3 * size * size;
            float[] out = new float[count * per];
            for (int i = 0; i < count; i++) {
                int[] at = draw(seed, stream, first + i);
                FlowImages.appendCrop(image(at[0]), at[1], at[2], size, out, i * per);
            }
            return out;
        }

        /** PNG's own size of crops {@code 0 .. count - 1} of {@code stream}, bits per sub-pixel. */
        double pngBitsPerDim(long seed, String stream, int count) {
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                int[] at = draw(seed, stream, i);
                bytes += FlowImages.pngBytes(FlowImages.crop(image(at[0]), at[1], at[2], size));
            }
            return 8.0 * bytes / ((double) count * 3 * size * size);
        }

        private int[] draw(long seed, String stream, long k) {
            SplittableRandom r = Seeds.splittable(seed, stream, k);
            int img = r.nextInt(images.size());
            return new int[] {img, r.nextInt(sizes[img][0] - size + 1), r.nextInt(sizes[img][1] - size + 1)};
        }

        private synchronized RgbImage image(int i) {
            Path p = images.get(i);
            RgbImage img = cache.get(p);
            if (img == null) {
                img = Images.readRgb(p);
                if (img.width() != sizes[i][0] || img.height() != sizes[i][1]) {
                    throw new InputException(p, null, img.width() + "x" + img.height(), "decoded size differs from "
                            + "the header's " + sizes[i][0] + "x" + sizes[i][1]);
                }
                cache.put(p, img);
            }
            return img;
        }
    }
}
