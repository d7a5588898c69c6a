package io.roadneg.flows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The flow's named arrays in creation order: trainable parameters, saved buffers (BatchNorm running statistics,
 * the 1x1 convolutions' fixed permutation and signs, ActNorm's initialised flag) and unsaved constants (masks). The
 * names are the PyTorch reference's state_dict keys, so a checkpoint is an ordinary {@code .npz} either side reads.
 */
public final class ParamStore implements AutoCloseable {
    /** What an array is to training and to checkpoints. */
    public enum Kind {
        /** Trained, saved. */
        PARAMETER,
        /** Not trained, saved. */
        BUFFER,
        /** Not trained, not saved (derived from the shapes). */
        CONSTANT
    }

    private record Entry(NDArray array, Kind kind) {
    }

    private final NDManager manager;
    private final long seed;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** An empty store whose random initial values derive from {@code seed} and each array's name. */
    public ParamStore(long seed) {
        this(seed, null);
    }

    /** The same, its arrays on {@code device} (null: the engine's default device). */
    public ParamStore(long seed, Device device) {
        this.manager = NDManager.newBaseManager(device);
        this.seed = seed;
    }

    /** A new array under {@code name}; names are unique. */
    public NDArray add(String name, Kind kind, Shape shape, float[] values) {
        if (entries.containsKey(name)) {
            throw new IllegalStateException("duplicate flow array name " + name);
        }
        // an engine-made copy, so the values live in memory the engine allocated rather than in a Java buffer
        NDArray host = manager.create(values, shape);
        NDArray a = host.duplicate();
        host.close();
        a.setName(name);
        if (kind == Kind.PARAMETER) {
            a.setRequiresGradient(true);
        }
        entries.put(name, new Entry(a, kind));
        return a;
    }

    /** A trainable parameter filled with {@code value}. */
    public NDArray constantParameter(String name, Shape shape, float value) {
        float[] v = new float[Math.toIntExact(shape.size())];
        java.util.Arrays.fill(v, value);
        return add(name, Kind.PARAMETER, shape, v);
    }

    /** A trainable parameter drawn uniformly from [-bound, bound] (PyTorch's default for convolutions). */
    public NDArray uniformParameter(String name, Shape shape, double bound) {
        SplittableRandom r = rng(name);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
        return add(name, Kind.PARAMETER, shape, v);
    }

    /** A generator for {@code name}'s initial values: the same for the same seed and name. */
    public SplittableRandom rng(String name) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode() * 0xBF58476D1CE4E5B9L);
    }

    /**
     * Overwrites {@code dst}'s values in place with an engine copy (rather than {@code NDArray.set(Buffer)}, which in
     * DJL's PyTorch engine hands the tensor a Java buffer).
     */
    public static void assign(NDArray dst, float[] values) {
        try (NDArray src = dst.getManager().create(values, dst.getShape())) {
            dst.set(new NDIndex(":"), src);
        }
    }

    /** The array named {@code name}. */
    public NDArray get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no flow array named " + name);
        }
        return e.array();
    }

    /** Names of saved arrays (parameters and buffers), in creation order. */
    public List<String> savedNames() {
        List<String> out = new ArrayList<>();
        entries.forEach((k, e) -> {
            if (e.kind() != Kind.CONSTANT) {
                out.add(k);
            }
        });
        return out;
    }

    /** The trainable parameters, in creation order. */
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>();
        entries.values().forEach(e -> {
            if (e.kind() == Kind.PARAMETER) {
                out.add(e.array());
            }
        });
        return out;
    }

    /** Number of trainable values. */
    public long parameterCount() {
        return parameters().stream().mapToLong(NDArray::size).sum();
    }

    /**
     * Attaches every array to {@code step} until that manager closes, so that arrays computed from parameters alone
     * (the 1x1 convolution's weight, say) live and die with the step instead of accumulating in the store.
     */
    public void bind(NDManager step) {
        for (Entry e : entries.values()) {
            if (e.array().getManager() != step && step != manager) {
                e.array().tempAttach(step);
            }
        }
    }

    /** Writes the saved arrays as an {@code .npz} (temp file, then rename). */
    public void save(Path file) throws IOException {
        NDList all = new NDList();
        for (String name : savedNames()) {
            all.add(get(name));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            Npz.write(all, out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Copies values in from named arrays ({@code prefix + name}); every saved array must be present with its shape.
     * Extra names without the prefix are ignored.
     */
    public void load(Map<String, NDArray> named, String prefix, String source) {
        for (String name : savedNames()) {
            NDArray src = named.get(prefix + name);
            NDArray dst = get(name);
            if (src == null) {
                throw new IllegalArgumentException(source + ": missing array " + prefix + name);
            }
            if (!src.getShape().equals(dst.getShape())) {
                throw new IllegalArgumentException(source + ": array " + prefix + name + " has shape " + src.getShape()
                        + ", this flow's configuration needs " + dst.getShape());
            }
            assign(dst, src.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    /** Reads an {@code .npz} into named arrays held by {@code m}. */
    public static Map<String, NDArray> readNpz(NDManager m, InputStream in) {
        NDList list = NDList.decode(m, in);
        Map<String, NDArray> out = new HashMap<>();
        for (NDArray a : list) {
            out.put(a.getName(), a);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
