package io.roadneg.finetune.model;

import ai.djl.MalformedModelException;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.io.Sha256;
import io.roadneg.datasets.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Builds networks from a {@link ModelSpec} and reads and writes checkpoints: a folder with {@code model.json} (the
 * spec plus the run state) and one {@code .params} file per part ({@code base}, each head, {@code residual}), so a
 * fine-tune can start from a base checkpoint and add parts.
 */
public final class Checkpoints {
    /** The optimiser state file of a checkpoint. */
    public static final String OPTIMIZER_FILE = "optimizer.bin";

    /** Shared JSON writer (sorted keys). */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Checkpoints() {
    }

    /** A network, its spec and the manager its parameters live in. */
    public record Loaded(SegmentationNet net, ModelSpec spec, NDManager manager) implements AutoCloseable {
        @Override
        public void close() {
            if (net.base() instanceof TorchScriptBase t) {
                t.close();
            }
            manager.close();
        }
    }

    /** Whether a folder is a checkpoint (has model.json and base.params). */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve("model.json")) && Files.isRegularFile(dir.resolve("base.params"));
    }

    /** Builds a freshly initialised network (seeded by the engine seed) for {@code spec} on the default device. */
    public static Loaded build(ModelSpec spec, long seed) {
        return build(spec, seed, Engine.getInstance().defaultDevice());
    }

    /** Builds a freshly initialised network (seeded by the engine seed) for {@code spec} on {@code device}. */
    public static Loaded build(ModelSpec spec, long seed, Device device) {
        Engine.getInstance().setRandomSeed((int) seed);
        SegmenterBase base = spec.type().equals("ladder") ? new LadderNet(spec.ladder(), spec.classes())
                : TorchScriptBase.load(Path.of(spec.torchscript()), device);
        if (base.numClasses() != spec.classes()) {
            throw new InputException(Path.of(String.valueOf(spec.torchscript())).resolve("model.json"), "numClasses",
                    base.numClasses(), "differs from model.classes " + spec.classes());
        }
        Set<Head> heads = EnumSet.noneOf(Head.class);
        for (String h : spec.heads()) {
            heads.add(Head.byKey(h));
        }
        SegmentationNet net = new SegmentationNet(base, heads, spec.residual());
        NDManager manager = NDManager.newBaseManager(device);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return new Loaded(net, spec, manager);
    }

    /**
     * SHA-256 over the names and bytes of the files that define a checkpoint's (or TorchScript folder's) outputs:
     * every regular file in {@code dir} but the optimiser state, in name order.
     */
    public static String fingerprint(Path dir) {
        try (var files = Files.list(dir)) {
            MessageDigest sha = Sha256.digest();
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(
                    OPTIMIZER_FILE)).sorted().toList()) {
                sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            return Sha256.hex(sha);
        } catch (IOException e) {
            throw new InputException(dir, null, null, "unreadable: " + e.getMessage(), e);
        }
    }

    /** Reads the spec of a checkpoint folder. */
    public static ModelSpec readSpec(Path dir) {
        Path file = dir.resolve("model.json");
        if (!Files.isRegularFile(file)) {
            throw new InputException(dir, null, null, "not a checkpoint (no model.json)");
        }
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(file.toFile());
            return JSON.treeToValue(n.get("spec"), ModelSpec.class);
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, "spec", null, "unreadable: " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint's state ({@code model.json} without the spec). */
    public static ObjectNode readState(Path dir) {
        try {
            return (ObjectNode) JSON.readTree(dir.resolve("model.json").toFile()).get("state");
        } catch (IOException e) {
            throw new InputException(dir.resolve("model.json"), null, null, "unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the parts of checkpoint {@code dir} into {@code net}: the base always, other parts when the checkpoint
     * has them (missing ones keep their fresh initialisation). The caller checks the specs agree.
     */
    public static List<String> loadInto(SegmentationNet net, NDManager manager, Path dir) {
        List<String> loaded = new ArrayList<>();
        for (var child : net.getChildren()) {
            String name = partName(child.getKey());
            Path f = dir.resolve(name + ".params");
            if (!Files.isRegularFile(f)) {
                if (name.equals("base")) {
                    throw new InputException(dir, null, null, "not a checkpoint (no base.params)");
                }
                continue;
            }
            java.util.Map<String, Shape> expected = new java.util.LinkedHashMap<>();
            for (var p : child.getValue().getParameters()) {
                if (p.getValue().isInitialized()) {
                    expected.put(p.getKey(), p.getValue().getArray().getShape());
                }
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f));
                    DataInputStream din = new DataInputStream(in)) {
                child.getValue().loadParameters(manager, din);
                loaded.add(name);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new InputException(f, null, null, "does not fit the network (" + e.getMessage() + ")", e);
            }
            // DJL replaces each array whatever its shape: weights of another width would load "fine"
            for (var p : child.getValue().getParameters()) {
                Shape want = expected.get(p.getKey());
                Shape got = p.getValue().isInitialized() ? p.getValue().getArray().getShape() : null;
                if (want != null && !want.equals(got)) {
                    throw new InputException(f, p.getKey(), got, "the weights have another shape than the spec in "
                            + dir.resolve("model.json").getFileName() + " makes (" + want + "): model.json and the "
                            + "weights do not belong together");
                }
            }
        }
        return loaded;
    }

    /** The part name of a child block key ({@code 01base} -> {@code base}). */
    static String partName(String childKey) {
        return childKey.replaceFirst("^\\d+", "");
    }

    /** Writes more files into a checkpoint folder being assembled. */
    @FunctionalInterface
    public interface Extras {
        /** Writes into {@code dir} (the checkpoint's temporary folder). */
        void write(Path dir) throws IOException;
    }

    /** Writes a checkpoint folder atomically: into a temporary sibling, then renamed. */
    public static void save(SegmentationNet net, ModelSpec spec, ObjectNode state, Path dir, byte[] optimizer)
            throws IOException {
        save(net, spec, state, dir, optimizer, null);
    }

    /** The same, with {@code extras} (null: none) written into the folder before it is renamed into place. */
    public static void save(SegmentationNet net, ModelSpec spec, ObjectNode state, Path dir, byte[] optimizer,
            Extras extras) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = AtomicFiles.createTempDirectory(parent, "." + dir.getFileName() + ".tmp");
        for (var child : net.getChildren()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                child.getValue().saveParameters(out);
            }
            Files.write(tmp.resolve(partName(child.getKey()) + ".params"), bytes.toByteArray());
        }
        if (optimizer != null) {
            Files.write(tmp.resolve(OPTIMIZER_FILE), optimizer);
        }
        if (extras != null) {
            extras.write(tmp);
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("spec", JSON.valueToTree(spec));
        root.set("state", state);
        Files.write(tmp.resolve("model.json"), JSON.writeValueAsBytes(root));
        Path old = null;
        if (Files.exists(dir)) {
            old = AtomicFiles.createTempDirectory(parent, "." + dir.getFileName() + ".old");
            Files.delete(old);
            Files.move(dir, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    /** Deletes a folder and what it holds. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Resolves a {@code --model} argument: a checkpoint folder, or a run folder (its latest checkpoint). */
    public static Path resolve(Path modelArg) {
        if (isCheckpoint(modelArg)) {
            return modelArg;
        }
        Path latest = modelArg.resolve("checkpoints").resolve("latest");
        if (Files.isRegularFile(latest)) {
            try {
                Path p = modelArg.resolve("checkpoints").resolve(Files.readString(latest).trim());
                if (isCheckpoint(p)) {
                    return p;
                }
            } catch (IOException e) {
                throw new InputException(latest, null, null, "unreadable: " + e.getMessage(), e);
            }
        }
        throw new InputException(modelArg, "--model", modelArg, "is neither a checkpoint (model.json + base.params) "
                + "nor a run folder with checkpoints/latest");
    }
}
