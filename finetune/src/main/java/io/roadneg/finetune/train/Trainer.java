package io.roadneg.finetune.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Provenance;
import io.roadneg.finetune.model.Devices;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.datasets.image.ImageLimits;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.RunFolders;
import io.roadneg.datasets.io.Sha256;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.FlowPatches;
import io.roadneg.finetune.data.NegativeSource;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.data.TrainingData;
import io.roadneg.finetune.loss.CompositeLoss;
import io.roadneg.finetune.loss.Targets;
import io.roadneg.finetune.model.Checkpoints;
import io.roadneg.finetune.model.Head;
import io.roadneg.finetune.model.ModelSpec;
import io.roadneg.finetune.model.SegOutput;
import io.roadneg.finetune.model.TorchScriptBase;
import io.roadneg.finetune.score.Inference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains or fine-tunes a segmentation network: builds it (fresh, from a base checkpoint, or from a TorchScript
 * export), streams batches, applies the composite loss, steps Adam, logs every term as JSON lines, checkpoints and
 * validates after each epoch. A non-finite loss stops the run, keeping the last good checkpoint; {@code resume}
 * continues from the latest checkpoint exactly (batches and sampling depend only on the seed and the step).
 */
public final class Trainer {
    /** The run's provenance in its folder (recipe hash, seed, environment with libtorch). */
    public static final String PROVENANCE_FILE = "provenance.json";

    private Trainer() {
    }

    /**
     * @param config the run's config
     * @param configYaml the config as YAML (recorded and fingerprinted)
     * @param out run folder
     * @param cityscapesRoot training data (Cityscapes layout)
     * @param split training split
     * @param init a checkpoint or run folder, a TorchScript segmenter folder, or null for a fresh network
     * @param negatives negatives, or null
     * @param validation per-epoch validation, or null
     * @param seed run seed
     * @param resume continue the run in {@code out}
     * @param maxSteps stop after this many steps in total (0: the whole schedule); for smoke runs and benchmarks
     * @param progress progress reporting
     * @param log human-readable lines
     * @param flow the flow of {@code data.negatives.source: flow} (closed with the run), or null
     */
    public record Options(TrainConfig config, String configYaml, Path out, Path cityscapesRoot, String split, Path init,
            NegativeSource negatives, Validation validation, long seed, boolean resume, long maxSteps,
            Progress progress, PrintWriter log, Device device, FlowNegatives flow) {
        public Options {
            if (maxSteps < 0) {
                throw new InputException(null, "--max-steps", maxSteps, "must be 0 (the whole schedule) or more");
            }
            if (device == null) {
                device = Engine.getInstance().defaultDevice();
            }
        }

        /** Options without a flow. */
        public Options(TrainConfig config, String configYaml, Path out, Path cityscapesRoot, String split, Path init,
                NegativeSource negatives, Validation validation, long seed, boolean resume, long maxSteps,
                Progress progress, PrintWriter log, Device device) {
            this(config, configYaml, out, cityscapesRoot, split, init, negatives, validation, seed, resume, maxSteps,
                    progress, log, device, null);
        }

        /** Options on the engine's default device. */
        public Options(TrainConfig config, String configYaml, Path out, Path cityscapesRoot, String split, Path init,
                NegativeSource negatives, Validation validation, long seed, boolean resume, long maxSteps,
                Progress progress, PrintWriter log) {
            this(config, configYaml, out, cityscapesRoot, split, init, negatives, validation, seed, resume, maxSteps,
                    progress, log, null, null);
        }
    }

    /** How a run ended. */
    public record Result(long steps, long totalSteps, double lastLoss, Path checkpoint, String stopReason,
            List<Validation.Result> validations) {
        /** Whether it ended on a non-finite loss. */
        public boolean diverged() {
            return stopReason != null;
        }
    }

    /** The spec a run trains: from the init checkpoint or TorchScript folder, else from the config. */
    static ModelSpec specFor(TrainConfig c, Path init, CompositeLoss loss) {
        List<String> heads = new ArrayList<>();
        for (Head h : loss.needs()) {
            heads.add(h.key());
        }
        boolean residual = loss.needsResidual();
        Normalization imagenet = Normalization.imagenet();
        if (init == null) {
            if (residual) {
                throw new InputException(null, "--model", null, "loss " + loss.name() + " trains a residual on a "
                        + "frozen base: give the base with --model");
            }
            if (c.model().type().equals("torchscript")) {
                if (c.model().torchscript() == null) {
                    throw new InputException(null, "model.torchscript", null, "required with model.type torchscript");
                }
                TorchScriptBase.TorchScriptMeta m = TorchScriptBase.readMeta(Path.of(c.model().torchscript()));
                return new ModelSpec("torchscript", null, c.model().torchscript(), c.model().classes(), heads, false,
                        m.mean(), m.std());
            }
            return new ModelSpec("ladder", c.model().ladder(), null, c.model().classes(), heads, false,
                    imagenet.mean(), imagenet.std());
        }
        if (Files.isRegularFile(init.resolve("model.pt"))) {
            TorchScriptBase.TorchScriptMeta m = TorchScriptBase.readMeta(init);
            if (m.numClasses() != c.model().classes()) {
                throw new InputException(init.resolve("model.json"), "numClasses", m.numClasses(),
                        "differs from model.classes " + c.model().classes());
            }
            return new ModelSpec("torchscript", null, init.toString(), m.numClasses(), heads, residual, m.mean(),
                    m.std());
        }
        Path ck = Checkpoints.resolve(init);
        ModelSpec s = Checkpoints.readSpec(ck);
        if (s.classes() != c.model().classes()) {
            throw new InputException(ck.resolve("model.json"), "spec.classes", s.classes(),
                    "the checkpoint is for another class count than model.classes " + c.model().classes());
        }
        if (s.type().equals("ladder") && c.model().type().equals("ladder") && !s.ladder().equals(c.model().ladder())) {
            throw new InputException(ck.resolve("model.json"), "spec.ladder", s.ladder(),
                    "the checkpoint is for another architecture than model.ladder " + c.model().ladder());
        }
        if (s.residual()) {
            throw new InputException(ck.resolve("model.json"), "spec.residual", true,
                    "start fine-tunes from a base checkpoint, not from an RPL one");
        }
        return s.with(heads, residual);
    }

    /** A sample of a run that carries a negative: its index in the run's sample order, frame and negative. */
    public record NegativeDraw(long sample, String frame, NegativeSource.Negative negative) {
    }

    /**
     * The negatives of the run {@code o} describes, without training or writing anything: the first {@code count}
     * samples, in the run's own order (sample = step x batch + j), that carry one, drawn by the very
     * {@link TrainingData} the run uses; at most the run's whole schedule is looked at. Empty when the loss takes no
     * negatives or the source is none. Closes {@code o.negatives()}.
     */
    public static List<NegativeDraw> negativeDraws(Options o, int count) {
        TrainConfig c = o.config();
        if (!c.loss().usesNegatives() || o.negatives() == null) {
            if (o.negatives() != null) {
                o.negatives().close();
            }
            return List.of();
        }
        List<CityscapesFrame> frames = withinLimits(CityscapesDataset.open(o.cityscapesRoot())
                .labelledFrames(o.split()), o.log());
        if (frames.isEmpty()) {
            throw new InputException(o.cityscapesRoot(), "split", o.split(), "no labelled frames (leftImg8bit + "
                    + "gtFine labelTrainIds) in this split");
        }
        long perEpoch = c.train().stepsPerEpoch() > 0 ? c.train().stepsPerEpoch()
                : Math.max(1, (frames.size() + c.data().batch() - 1) / c.data().batch());
        long samples = perEpoch * c.train().epochs() * c.data().batch();
        List<NegativeDraw> draws = new ArrayList<>();
        // label values are the training run's to check; here any value below the pasted-outlier label passes
        try (TrainingData data = new TrainingData(new TrainingData.Options(frames, LabelValues.PASTED_OUTLIER,
                o.negatives(), c.data().negatives().mix(), c.data().batch(), c.data().crop().get(0),
                c.data().crop().get(1), c.data().scale().get(0), c.data().scale().get(1), c.data().flip(),
                o.seed(), 1, false))) {
            for (long g = 0; g < samples && draws.size() < count; g++) {
                NegativeSource.Negative n = data.negativeOf(g);
                if (n != null) {
                    draws.add(new NegativeDraw(g, data.frameOf(g), n));
                }
            }
        }
        return draws;
    }

    /**
     * Checks that {@code init} can start a fine-tune of {@code c} (its class count, architecture, not an RPL
     * residual), as the run itself would before its first step; an input error naming the model file otherwise.
     */
    public static void checkBase(TrainConfig c, Path init) {
        specFor(c, init, c.loss().build());
    }

    /** Runs (or resumes) a training run; the run folder is locked, so a second run on it is refused. */
    public static Result run(Options o) throws IOException {
        try (OutputLock lock = OutputLock.acquire(o.out(), "--out")) {
            removeTemps(o.out());
            return runLocked(o);
        } finally {
            if (o.flow() != null) {
                o.flow().close();
            }
        }
    }

    /**
     * Removes what a killed run left half-written: atomic-write temp files in the run folder and checkpoint folders
     * being written or replaced ({@code .step-*.tmp*}, {@code .step-*.old*}).
     */
    static void removeTemps(Path out) throws IOException {
        for (Path dir : List.of(out, out.resolve("checkpoints"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(AtomicFiles.TEMP_PREFIX) || n.startsWith(".step-") && (n.contains(".tmp")
                            || n.contains(".old"))) {
                        Checkpoints.deleteTree(p);
                    }
                }
            }
        }
    }

    private static Result runLocked(Options o) throws IOException {
        TrainConfig c = o.config();
        CompositeLoss loss = c.loss().build();
        Path ckDir = o.out().resolve("checkpoints");
        Path latest = ckDir.resolve("latest");
        String fingerprint = Sha256.of(o.configYaml() + "\nseed=" + o.seed() + "\ninit=" + o.init() + "\nroot="
                + o.cityscapesRoot() + "\nsplit=" + o.split());
        boolean resuming = o.resume() && Files.isRegularFile(latest);
        if (!o.resume() && Files.isRegularFile(latest)) {
            throw new InputException(o.out(), "--out", o.out(), "holds a run already: add --resume to continue it, "
                    + "or choose another folder");
        }
        List<CityscapesFrame> frames = withinLimits(CityscapesDataset.open(o.cityscapesRoot())
                .labelledFrames(o.split()), o.log());
        if (frames.isEmpty()) {
            throw new InputException(o.cityscapesRoot(), "split", o.split(), "no labelled frames (leftImg8bit + "
                    + "gtFine labelTrainIds) in this split");
        }
        ModelSpec spec;
        Path resumeFrom = null;
        long resumeStep = 0;
        if (resuming) {
            resumeFrom = ckDir.resolve(Files.readString(latest).trim());
            ObjectNode st = Checkpoints.readState(resumeFrom);
            resumeStep = st.path("step").asLong();
            RunFolders.refuseAnother(resumeFrom.resolve("model.json"), st, Checkpoints.JSON.createObjectNode()
                    .put("fingerprint", fingerprint), List.of("fingerprint"), "the run was started with another "
                    + "config, seed, model or data; --resume needs the same ones");
            spec = Checkpoints.readSpec(resumeFrom);
        } else {
            spec = specFor(c, o.init(), loss);
        }
        int stride = spec.type().equals("ladder") ? spec.ladder().stride() : 8;
        if (c.data().crop().get(0) % stride != 0 || c.data().crop().get(1) % stride != 0) {
            throw new InputException(null, "data.crop", c.data().crop(), "must be a multiple of " + stride
                    + " for this network");
        }
        if (spec.residual() && spec.type().equals("ladder") && c.data().batch() < 2) {
            throw new InputException(null, "data.batch", c.data().batch(), "RPL's residual on the built-in ladder "
                    + "has batch norm (its image-pooling branch sees one value per image): use a batch of 2 or more");
        }
        Files.createDirectories(o.out());
        long perEpoch = c.train().stepsPerEpoch() > 0 ? c.train().stepsPerEpoch()
                : Math.max(1, (frames.size() + c.data().batch() - 1) / c.data().batch());
        long total = perEpoch * c.train().epochs();
        long stopAt = o.maxSteps() > 0 ? Math.min(total, o.maxSteps()) : total;
        Normalization norm = new Normalization(spec.mean(), spec.std());
        boolean flowNegatives = c.loss().usesNegatives()
                && c.data().negatives().source().equals(TrainConfig.NegativesConfig.FLOW);
        if (flowNegatives && o.flow() == null) {
            throw new InputException(null, "--flow", null, "negatives from a flow need the flow's run folder");
        }
        FlowPatches flowPatches = flowNegatives ? o.flow().patches(c.data().crop().get(0), c.data().crop().get(1))
                : null;
        try (Checkpoints.Loaded model = Checkpoints.build(spec, o.seed(), o.device());
                TrainingData data = new TrainingData(new TrainingData.Options(frames, spec.classes(),
                        c.loss().usesNegatives() ? o.negatives() : null, c.data().negatives().mix(),
                        c.data().batch(), c.data().crop().get(0), c.data().crop().get(1), c.data().scale().get(0),
                        c.data().scale().get(1), c.data().flip(), o.seed(), c.data().workers(),
                        c.loss().usesRawViews(), flowPatches))) {
            long step = 0;
            if (resuming) {
                Checkpoints.loadInto(model.net(), model.manager(), resumeFrom);
                if (flowNegatives && o.flow().joint()) {
                    o.flow().load(resumeFrom);
                }
                step = resumeStep;
                dropLinesAfter(o.out().resolve("train.jsonl"), step);
                dropLinesAfter(o.out().resolve("validation.jsonl"), step);
            } else {
                // a run killed before its first checkpoint starts again from step 0: its log lines go
                dropLinesAfter(o.out().resolve("train.jsonl"), 0);
                dropLinesAfter(o.out().resolve("validation.jsonl"), 0);
            }
            if (!resuming && o.init() != null && !Files.isRegularFile(o.init().resolve("model.pt"))) {
                List<String> parts = Checkpoints.loadInto(model.net(), model.manager(), Checkpoints.resolve(o.init()));
                o.log().println("initialised " + parts + " from " + Checkpoints.resolve(o.init()));
            }
            List<Parameter> trainable = model.net().trainableParameters();
            for (Parameter p : trainable) {
                p.getArray().setRequiresGradient(true);
            }
            TrainConfig.OptimizerConfig oc = c.optimizer();
            try (Adam adam = new Adam(trainable, oc.betas().get(0), oc.betas().get(1), oc.eps(), oc.weightDecay())) {
                if (resuming) {
                    try (InputStream in = Files.newInputStream(resumeFrom.resolve(Checkpoints.OPTIMIZER_FILE))) {
                        adam.load(in);
                    }
                }
                AtomicFiles.write(o.out().resolve("config.yaml"), o.configYaml().getBytes(StandardCharsets.UTF_8));
                ObjectNode prov = (ObjectNode) Checkpoints.JSON.readTree(Provenance.run(o.init() == null
                        ? "gen train" : "gen finetune", c.name(), Sha256.of(o.configYaml()), o.seed()).withLibtorch(
                        Engine.getInstance().getVersion()).toJson());
                prov.put("device", Devices.name(o.device()));
                if (flowNegatives) {
                    prov.put("flow", o.flow().source());
                    prov.put("flowJoint", o.flow().joint());
                }
                // one line, as Provenance writes it
                AtomicFiles.write(o.out().resolve(PROVENANCE_FILE), (prov.toString() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                o.log().printf("%s %s on %s: %s; %d trainable tensors; %d frames, %d steps per epoch, %d epochs%s%n",
                        resuming ? "resuming" : "training", loss.name(), Devices.name(o.device()), spec.describe(),
                        trainable.size(), frames.size(), perEpoch, c.train().epochs(),
                        resuming ? " from step " + step : "");
                if (flowNegatives) {
                    o.log().printf("flow negatives (%s): %s%n", o.flow().joint() ? "trained jointly" : "frozen",
                            o.flow().source());
                }
                o.log().flush();
                Result r = loop(o, model, data, adam, loss, spec, norm, step, perEpoch, total, stopAt, fingerprint,
                        flowNegatives ? o.flow() : null);
                if (flowNegatives && !r.diverged() && r.steps() > step) {
                    Path flowRun = o.flow().exportRun(o.out().resolve(FlowNegatives.FLOW_RUN_DIR), r.steps(),
                            o.out().toString());
                    if (flowRun != null) {
                        o.log().printf("jointly trained flow: %s (gen flow sample --model %s)%n", flowRun,
                                o.out().resolve(FlowNegatives.FLOW_RUN_DIR));
                    }
                }
                return r;
            }
        }
    }

    private static Result loop(Options o, Checkpoints.Loaded model, TrainingData data, Adam adam, CompositeLoss loss,
            ModelSpec spec, Normalization norm, long startStep, long perEpoch, long total, long stopAt,
            String fingerprint, FlowNegatives flow) throws IOException {
        TrainConfig c = o.config();
        Path logFile = o.out().resolve("train.jsonl");
        Path valFile = o.out().resolve("validation.jsonl");
        List<Validation.Result> vals = new ArrayList<>();
        double last = Double.NaN;
        Path lastCk = null;
        if (startStep > 0 && o.validation() != null && !hasLineAt(valFile, startStep)) {
            // killed between the checkpoint and its validation: validate that checkpoint now, as the first run would
            long epoch = (startStep - 1) / perEpoch;
            Validation.Result r = validate(o, model, norm, spec, epoch, startStep, valFile);
            vals.add(r);
            o.log().printf("epoch %d (step %d): validation redone after resume: mIoU %.4f%s%n", epoch, startStep,
                    r.miou(), anomalyPart(o, r));
            o.log().flush();
        }
        o.progress().start(loss.name(), stopAt - startStep);
        // on the CPU reading the loss back costs nothing, so every step is checked; on a GPU it would stall the
        // queue, so the loss is read on logged steps and before each checkpoint only
        boolean checkEveryStep = o.device().getDeviceType().equals(Device.Type.CPU);
        try (TrainingData.Prefetch batches = data.prefetch(startStep, stopAt, c.data().workers() + 1);
                OutputStream logOut = Files.newOutputStream(logFile, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            for (long step = startStep; step < stopAt; step++) {
                Batch b = batches.next();
                long t0 = System.nanoTime();
                double lr = c.optimizer().lrAt(step, total);
                long done = step + 1;
                boolean logNow = done % c.train().logEvery() == 0 || done == stopAt;
                boolean epochEnd = done % perEpoch == 0 || done == stopAt;
                Map<String, Float> terms = null;
                try (NDManager sm = model.manager().newSubManager()) {
                    StepInputs in = StepInputs.of(sm, b, norm, spec.classes(), Seeds.of(o.seed(),
                            Seeds.TRAIN_CONTRAST, step));
                    NDArray x = in.images();
                    boolean flowStep = flow != null && b.hasPatches();
                    long firstSample = step * c.data().batch();
                    if (flowStep && !flow.joint()) {
                        x = flow.paste(sm, x, b, norm, o.seed(), firstSample);
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        if (flowStep && flow.joint()) {
                            x = flow.paste(sm, x, b, norm, o.seed(), firstSample);
                        }
                        SegOutput out = model.net().run(new ParameterStore(sm, false), x, true);
                        CompositeLoss.Value v = loss.compute(out, in.targets());
                        NDArray nll = flowStep && flow.joint() ? flow.nll(sm, b, o.seed(), firstSample) : null;
                        NDArray objective = nll == null ? v.total() : v.total().add(nll);
                        if (checkEveryStep || logNow || epochEnd) {
                            double total0 = v.total().getFloat();
                            float nll0 = nll == null ? 0f : nll.getFloat();
                            if (!Double.isFinite(total0) || !Float.isFinite(nll0)) {
                                adam.zeroGradients();
                                Map<String, Float> bad = withNll(v.terms(), nll, nll0);
                                String why = "non-finite loss " + total0 + " at step " + step + " " + bad
                                        + (checkEveryStep ? "" : " (on " + Devices.name(o.device()) + " the loss is "
                                        + "checked on logged steps and before checkpoints)");
                                o.log().println("stopped: " + why + (lastCk == null ? "" : "; last good checkpoint "
                                        + lastCk));
                                writeLine(logOut, step, step / perEpoch, lr, total0, bad, 0, "diverged");
                                return new Result(step, total, total0, lastCk, why, vals);
                            }
                            last = total0;
                            if (logNow) {
                                terms = withNll(v.terms(), nll, nll0);
                            }
                        }
                        gc.backward(objective);
                    }
                    adam.step(lr);
                    if (flowStep && flow.joint()) {
                        flow.step();
                    }
                } finally {
                    b.release();
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (logNow) {
                    writeLine(logOut, step, step / perEpoch, lr, last, terms, ms, null);
                }
                o.progress().step(1);
                if (epochEnd) {
                    long epoch = (done - 1) / perEpoch;
                    ObjectNode state = Checkpoints.JSON.createObjectNode();
                    state.put("step", done);
                    state.put("epoch", epoch);
                    state.put("seed", o.seed());
                    state.put("fingerprint", fingerprint);
                    state.put("loss", loss.name());
                    state.put("config", o.configYaml());
                    if (o.init() != null) {
                        state.put("init", o.init().toString());
                    }
                    ByteArrayOutputStream opt = new ByteArrayOutputStream();
                    adam.save(opt);
                    String name = String.format("step-%08d", done);
                    lastCk = ckDirOf(o).resolve(name);
                    Checkpoints.save(model.net(), model.spec(), state, lastCk, opt.toByteArray(),
                            flow != null && flow.joint() ? flow::save : null);
                    AtomicFiles.write(ckDirOf(o).resolve("latest"), name.getBytes(StandardCharsets.UTF_8));
                    pruneOld(ckDirOf(o), name);
                    if (o.validation() != null) {
                        Validation.Result r = validate(o, model, norm, spec, epoch, done, valFile);
                        vals.add(r);
                        o.log().printf("epoch %d (step %d): loss %.4f, mIoU %.4f%s%n", epoch, done, last,
                                r.miou(), anomalyPart(o, r));
                        o.log().flush();
                    }
                }
            }
        } finally {
            o.progress().close();
        }
        return new Result(stopAt, total, last, lastCk, null, vals);
    }

    /** ", SCORE AP x FPR95 y" of a validation, or nothing when it had no anomaly set (no AP to print). */
    private static String anomalyPart(Options o, Validation.Result r) {
        if (Double.isNaN(r.ap()) && Double.isNaN(r.fpr95())) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, ", %s AP %.4f FPR95 %.4f", o.validation().score().key(), r.ap(),
                r.fpr95());
    }

    /** The loss terms with a joint flow's NLL term after them (the terms alone when the step had none). */
    private static Map<String, Float> withNll(Map<String, Float> terms, NDArray nll, float value) {
        if (nll != null) {
            terms.put(FlowNegatives.NLL_TERM, value);
        }
        return terms;
    }

    /**
     * The frames whose image and label headers declare a size within the pixel limit; the others are reported and
     * skipped before training, so every step (and every resume) sees the same frame list.
     */
    static List<CityscapesFrame> withinLimits(List<CityscapesFrame> frames, PrintWriter log) {
        List<CityscapesFrame> ok = new ArrayList<>(frames.size());
        for (CityscapesFrame f : frames) {
            try {
                ImageLimits.checkFile(f.imagePath());
                ImageLimits.checkFile(f.trainIdsPath());
                ok.add(f);
            } catch (ImageLimits.ImageTooLargeException e) {
                log.println("skipped frame " + f.id().stem() + ": " + e.getMessage());
            }
        }
        log.flush();
        return ok;
    }

    /** Validates the model as it is after {@code step} and appends the line to {@code valFile}. */
    private static Validation.Result validate(Options o, Checkpoints.Loaded model, Normalization norm, ModelSpec spec,
            long epoch, long step, Path valFile) throws IOException {
        Validation.Result r = o.validation().run(new Inference(model.net(), model.manager(), norm), spec.classes());
        ObjectNode n = Checkpoints.JSON.createObjectNode();
        n.put("epoch", epoch);
        n.put("step", step);
        n.put("miou", r.miou());
        n.put("ap", r.ap());
        n.put("fpr95", r.fpr95());
        n.put("auroc", r.auroc());
        n.put("score", o.validation().score().key());
        n.put("benchmark", o.validation().benchmark() == null ? null : o.validation().benchmark().cliName());
        Files.writeString(valFile, Checkpoints.JSON.writer().without(
                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(n) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return r;
    }

    /** Whether a JSON-lines log holds a line for {@code step}. */
    static boolean hasLineAt(Path log, long step) throws IOException {
        if (!Files.isRegularFile(log)) {
            return false;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && stepOf(line) == step) {
                return true;
            }
        }
        return false;
    }

    /** The step of a log line; a line torn by a crash (not JSON) counts as after every step, so it is dropped. */
    private static long stepOf(String line) {
        try {
            return Checkpoints.JSON.readTree(line).path("step").asLong();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Drops log lines of steps after {@code step} (written after the checkpoint a resume starts from). */
    static void dropLinesAfter(Path log, long step) throws IOException {
        if (!Files.isRegularFile(log)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            if (stepOf(line) <= step) {
                keep.add(line);
            }
        }
        AtomicFiles.write(log, (keep.isEmpty() ? "" : String.join("\n", keep) + "\n").getBytes(
                StandardCharsets.UTF_8));
    }

    private static Path ckDirOf(Options o) {
        return o.out().resolve("checkpoints");
    }

    private static void pruneOld(Path dir, String keep) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("step-") && !n.equals(keep) && Files.isDirectory(p)) {
                    Checkpoints.deleteTree(p);
                }
            }
        }
    }

    private static void writeLine(OutputStream out, long step, long epoch, double lr, double loss,
            Map<String, Float> terms, long ms, String status) throws IOException {
        ObjectNode n = Checkpoints.JSON.createObjectNode();
        n.put("step", step + 1);
        n.put("epoch", epoch);
        n.put("lr", lr);
        n.put("loss", loss);
        ObjectNode t = n.putObject("terms");
        terms.forEach(t::put);
        n.put("ms", ms);
        if (status != null) {
            n.put("status", status);
        }
        out.write((Checkpoints.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
