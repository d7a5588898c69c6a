package io.roadneg.flows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flow run folder ({@code gen flow train --out RUN}) opened for use: its configuration, the flow of its newest
 * checkpoint, and sampling from it ({@link FlowSampler}: per-item host noise {@code Noise.seeded(seed, firstItem)},
 * samples quantised to 0 .. 255).
 *
 * <p>The folder:
 * <pre>
 * RUN/config.yaml                        the whole DenseFlowConfig (every field)
 * RUN/checkpoints/step-N/flow.npz        parameters and buffers (ParamStore names)
 * RUN/checkpoints/step-N/optimizer.npz   Adamax moments m.I, u.I and step count t
 * RUN/checkpoints/step-N/state.json      {"step": N, "epoch": E, "trainBitsPerDim": ...}
 * RUN/checkpoints/latest                 one line: the newest step-N folder's name
 * </pre>
 * A checkpoint folder is written under a temp name and renamed; {@code latest} is replaced atomically after it, so a
 * run stopped at any moment leaves {@code latest} naming a complete checkpoint. Training writes more beside these
 * ({@code run.json}, {@code train.jsonl}, {@code validation.jsonl}, {@code samples/}); opening needs only the above.
 */
public final class FlowRun implements FlowSampler {
    /** The configuration file of a run. */
    public static final String CONFIG = "config.yaml";
    /** The checkpoints folder of a run. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The file in {@link #CHECKPOINTS} naming the newest checkpoint folder. */
    public static final String LATEST = "latest";
    /** Parameters file of a checkpoint. */
    public static final String FLOW_FILE = "flow.npz";
    /** Optimiser state file of a checkpoint. */
    public static final String OPTIMIZER_FILE = "optimizer.npz";
    /** Training state file of a checkpoint. */
    public static final String STATE_FILE = "state.json";

    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{1,12})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final DenseFlowConfig config;
    private final Path checkpoint;
    private final long step;
    private final String sha256;
    private final DenseFlow flow;

    private FlowRun(Path dir, DenseFlowConfig config, Path checkpoint, long step, String sha256, DenseFlow flow) {
        this.dir = dir;
        this.config = config;
        this.checkpoint = checkpoint;
        this.step = step;
        this.sha256 = sha256;
        this.flow = flow;
    }

    /** Opens a run folder on the engine's default device; errors name the run as {@code flow run}. */
    public static FlowRun open(Path runDir) {
        return open(runDir, null, "flow run");
    }

    /**
     * Validates a run folder and loads its newest checkpoint onto {@code device} (null: the engine's default). Every
     * problem is a one-line {@link InputException} naming the file and {@code option} (the command-line option that
     * gave the folder): no folder, no or bad config.yaml, no {@code latest}, a missing or incomplete checkpoint, a
     * broken {@code .npz}, or one whose arrays belong to another flow configuration.
     */
    public static FlowRun open(Path runDir, Device device, String option) {
        if (runDir == null || !Files.isDirectory(runDir)) {
            throw new InputException(runDir, option, runDir, "not a flow run folder (gen flow train --out makes one)");
        }
        Path configFile = runDir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new InputException(configFile, option, runDir, "no " + CONFIG + ": not a flow run folder");
        }
        DenseFlowConfig config = DenseFlowConfig.load(configFile, Map.of());
        Path checkpoint = latestCheckpoint(runDir, option);
        long step = stepOf(checkpoint);
        Path npz = checkpoint.resolve(FLOW_FILE);
        DenseFlow flow = new DenseFlow(config, 0, device);
        try {
            loadParams(flow, npz, option);
        } catch (RuntimeException e) {
            flow.close();
            throw e;
        }
        return new FlowRun(runDir, config, checkpoint, step, Sha256.ofFile(npz), flow);
    }

    /** Copies a checkpoint's parameters into {@code flow}; a one-line {@link InputException} when they do not fit. */
    public static void loadParams(DenseFlow flow, Path npz, String option) {
        try (NDManager m = NDManager.newBaseManager(); InputStream in = Files.newInputStream(npz)) {
            Map<String, NDArray> named;
            try {
                named = ParamStore.readNpz(m, in);
            } catch (RuntimeException e) {
                throw new InputException(npz, option, npz.getFileName(), "not a readable .npz: " + e.getMessage(), e);
            }
            try {
                flow.params().load(named, "", npz.getFileName().toString());
            } catch (IllegalArgumentException e) {
                throw new InputException(npz, option, flow.config().name(), "a checkpoint of another flow "
                        + "configuration than " + CONFIG + " describes (" + e.getMessage() + ")", e);
            }
        } catch (IOException e) {
            throw new InputException(npz, option, npz.getFileName(), "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint folder {@code RUN/checkpoints/latest} names, checked to hold {@link #FLOW_FILE},
     * {@link #OPTIMIZER_FILE} and {@link #STATE_FILE}.
     */
    public static Path latestCheckpoint(Path runDir, String option) {
        Path latest = runDir.resolve(CHECKPOINTS).resolve(LATEST);
        if (!Files.isRegularFile(latest)) {
            throw new InputException(latest, option, runDir, "no checkpoint yet (" + CHECKPOINTS + "/" + LATEST
                    + " is missing)");
        }
        String name;
        try {
            name = Files.readString(latest, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InputException(latest, option, runDir, "cannot read: " + e.getMessage(), e);
        }
        if (!STEP_DIR.matcher(name).matches()) {
            throw new InputException(latest, option, name, "must name a checkpoint folder step-N");
        }
        Path checkpoint = runDir.resolve(CHECKPOINTS).resolve(name);
        for (String f : new String[] {FLOW_FILE, OPTIMIZER_FILE, STATE_FILE}) {
            if (!Files.isRegularFile(checkpoint.resolve(f))) {
                throw new InputException(checkpoint.resolve(f), option, name, "checkpoint is missing " + f);
            }
        }
        return checkpoint;
    }

    /** The step number of a {@code step-N} checkpoint folder. */
    public static long stepOf(Path checkpoint) {
        Matcher mt = STEP_DIR.matcher(checkpoint.getFileName().toString());
        if (!mt.matches()) {
            throw new IllegalArgumentException("not a checkpoint folder: " + checkpoint);
        }
        return Long.parseLong(mt.group(1));
    }

    /** The training state a checkpoint recorded ({@link #STATE_FILE}). */
    public static JsonNode readState(Path checkpoint, String option) {
        Path f = checkpoint.resolve(STATE_FILE);
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new InputException(f, option, f.getFileName(), "not readable JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Writes checkpoint {@code step} of a run: {@code step-N/} with the flow, the optimiser state and {@code state}
     * assembled under a temp name and renamed into place, then {@code latest} replaced to name it.
     */
    public static Path writeCheckpoint(Path runDir, long step, DenseFlow flow, Adamax optimizer, ObjectNode state) {
        Path checkpoints = runDir.resolve(CHECKPOINTS);
        Path target = checkpoints.resolve("step-" + step);
        try {
            Files.createDirectories(checkpoints);
            Path tmp = AtomicFiles.createTempDirectory(checkpoints, AtomicFiles.TEMP_PREFIX + "step-" + step);
            flow.params().save(tmp.resolve(FLOW_FILE));
            optimizer.save(tmp.resolve(OPTIMIZER_FILE));
            AtomicFiles.write(tmp.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(state));
            if (Files.exists(target)) {
                // a leftover of a run stopped between this rename and the write of latest: replaced whole
                deleteTree(target);
            }
            AtomicFiles.move(tmp, target);
            AtomicFiles.write(checkpoints.resolve(LATEST), ("step-" + step + "\n").getBytes(StandardCharsets.UTF_8));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes a run's {@link #CONFIG}: the configuration with every field. */
    public static void writeConfig(Path runDir, DenseFlowConfig config) {
        AtomicFiles.write(runDir.resolve(CONFIG), Configs.toYaml(config).getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** The run folder. */
    public Path dir() {
        return dir;
    }

    /** The architecture ({@code config.yaml}). */
    public DenseFlowConfig config() {
        return config;
    }

    /** The loaded flow (of the newest checkpoint). */
    public DenseFlow flow() {
        return flow;
    }

    /** The checkpoint folder loaded. */
    public Path checkpoint() {
        return checkpoint;
    }

    /** Its training step. */
    public long step() {
        return step;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public ai.djl.Device device() {
        return flow.params().parameters().get(0).getDevice();
    }

    /** SHA-256 of its {@code flow.npz}. */
    @Override
    public String sha256() {
        return sha256;
    }

    /** Sampling from this run (the run itself). */
    public FlowSampler sampler() {
        return this;
    }

    @Override
    public int channels() {
        return config.channels();
    }

    @Override
    public boolean acceptsSize(int height, int width) {
        try {
            flow.checkSize(height, width, "sample size");
            return true;
        } catch (InputException e) {
            return false;
        }
    }

    @Override
    public void checkSize(int height, int width, String field) {
        flow.checkSize(height, width, field);
    }

    @Override
    public NDArray sample(NDManager m, int count, int height, int width, double temperature, long seed,
            long firstItem) {
        return flow.sample(m, count, height, width, temperature, Noise.seeded(seed, firstItem));
    }

    @Override
    public String describe() {
        return config.name() + " " + dir.relativize(checkpoint).toString().replace('\\', '/') + " of " + dir
                + " (flow.npz sha256 " + sha256 + ")";
    }

    @Override
    public void close() {
        flow.close();
    }
}
