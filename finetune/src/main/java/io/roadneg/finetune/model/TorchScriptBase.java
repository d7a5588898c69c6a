package io.roadneg.finetune.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pretrained segmenter exported as TorchScript (contract {@code roadneg-segmenter/1}, see
 * {@code finetune/scripts/README.md}): {@code model.pt} whose forward maps normalised N x 3 x H x W images to the
 * tuple {@code (logits N x K x h x w, features N x C x h x w)} with {@code logits = classifier(features)}, and
 * {@code model.json} naming K, C, the normalisation and the classifier's parameters. Loaded trainable.
 */
public final class TorchScriptBase extends AbstractBlock implements SegmenterBase {
    /** The contract id a {@code model.json} must carry. */
    public static final String CONTRACT = "roadneg-segmenter/1";

    private final Path dir;
    private final Model model;
    private final Block module;
    private final TorchScriptMeta meta;

    /** What {@code model.json} says. */
    public record TorchScriptMeta(int numClasses, int featureChannels, double[] mean, double[] std,
            String classifierWeight, String classifierBias) {
    }

    private TorchScriptBase(Path dir, Model model, TorchScriptMeta meta) {
        super((byte) 1);
        this.dir = dir;
        this.model = model;
        this.meta = meta;
        this.module = addChildBlock("module", model.getBlock());
    }

    /** Reads {@code model.json} of a TorchScript segmenter folder, checking every field. */
    public static TorchScriptMeta readMeta(Path dir) {
        Path file = dir.resolve("model.json");
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, null, null, "missing: a TorchScript segmenter folder needs model.pt and "
                    + "model.json");
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file, null, null, "not valid JSON: " + e.getMessage(), e);
        }
        String contract = n.path("contract").asText("");
        if (!contract.equals(CONTRACT)) {
            throw new InputException(file, "contract", contract, "must be " + CONTRACT);
        }
        int k = positiveInt(file, n, "numClasses");
        int c = positiveInt(file, n, "featureChannels");
        double[] mean = triple(file, n, "mean");
        double[] std = triple(file, n, "std");
        String w = n.path("classifierWeight").asText("");
        String b = n.path("classifierBias").asText("");
        if (w.isEmpty()) {
            throw new InputException(file, "classifierWeight", null, "must name the classifier's weight parameter");
        }
        return new TorchScriptMeta(k, c, mean, std, w, b.isEmpty() ? null : b);
    }

    private static int positiveInt(Path file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new InputException(file, field, v, "must be a positive integer");
        }
        return v.asInt();
    }

    private static double[] triple(Path file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray() || v.size() != 3) {
            throw new InputException(file, field, v, "must hold 3 numbers");
        }
        return new double[] {v.get(0).asDouble(), v.get(1).asDouble(), v.get(2).asDouble()};
    }

    /**
     * Loads a TorchScript segmenter trainable and checks its outputs against the contract on a probe image, so a
     * broken export fails here, before any training.
     */
    public static TorchScriptBase load(Path dir) {
        return load(dir, ai.djl.engine.Engine.getEngine("PyTorch").defaultDevice());
    }

    /** As {@link #load(Path)}, with the module's weights on {@code device}. */
    public static TorchScriptBase load(Path dir, ai.djl.Device device) {
        TorchScriptMeta meta = readMeta(dir);
        Path pt = dir.resolve("model.pt");
        if (!Files.isRegularFile(pt)) {
            throw new InputException(pt, null, null, "missing: a TorchScript segmenter folder needs model.pt");
        }
        Model m = Model.newInstance("segmenter", device, "PyTorch");
        try {
            m.load(dir, "model", Map.of("trainParam", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new InputException(pt, null, null, "cannot load as TorchScript: " + e.getMessage(), e);
        }
        TorchScriptBase base = new TorchScriptBase(dir, m, meta);
        try {
            base.checkContract();
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return base;
    }

    private void checkContract() {
        Path pt = dir.resolve("model.pt");
        Parameter w = module.getParameters().get(meta.classifierWeight());
        if (w == null) {
            throw new InputException(dir.resolve("model.json"), "classifierWeight", meta.classifierWeight(),
                    "no such parameter in model.pt");
        }
        Shape ws = w.getArray().getShape();
        if (ws.dimension() != 4 || ws.get(0) != meta.numClasses() || ws.get(1) != meta.featureChannels()
                || ws.get(2) != 1 || ws.get(3) != 1) {
            throw new InputException(dir.resolve("model.json"), "classifierWeight", ws,
                    "must be a 1x1 convolution of shape (numClasses, featureChannels, 1, 1)");
        }
        if (meta.classifierBias() != null && module.getParameters().get(meta.classifierBias()) == null) {
            throw new InputException(dir.resolve("model.json"), "classifierBias", meta.classifierBias(),
                    "no such parameter in model.pt");
        }
        try (NDManager probe = NDManager.newBaseManager(model.getNDManager().getDevice())) {
            NDArray x = probe.randomNormal(new Shape(1, 3, 64, 128));
            NDList out;
            try {
                out = module.forward(new ParameterStore(probe, false), new NDList(x), false);
            } catch (RuntimeException e) {
                throw new InputException(pt, "forward", "1x3x64x128", "fails on a probe image: " + e.getMessage(), e);
            }
            if (out.size() != 2) {
                throw new InputException(pt, "outputs", out.size() + " tensor(s)",
                        "must return the tuple (logits, features)");
            }
            Shape ls = out.get(0).getShape();
            Shape fs = out.get(1).getShape();
            if (ls.dimension() != 4 || ls.get(1) != meta.numClasses()) {
                throw new InputException(pt, "logits", ls, "must be N x " + meta.numClasses()
                        + " x h x w (numClasses in model.json)");
            }
            if (fs.dimension() != 4 || fs.get(1) != meta.featureChannels() || fs.get(2) != ls.get(2)
                    || fs.get(3) != ls.get(3)) {
                throw new InputException(pt, "features", fs, "must be N x " + meta.featureChannels()
                        + " x h x w at the logits' resolution " + ls);
            }
            NDArray again = classify(new ParameterStore(probe, false), out.get(1), false);
            double diff = again.sub(out.get(0)).abs().max().getFloat();
            double scale = Math.max(1.0, out.get(0).abs().max().getFloat());
            if (diff > 1e-3 * scale) {
                throw new InputException(dir.resolve("model.json"), "classifierWeight", meta.classifierWeight(),
                        "logits != classifier(features) (max difference " + diff + ")");
            }
            out.close();
        }
    }

    /** The folder it was loaded from. */
    public Path dir() {
        return dir;
    }

    /** The contract metadata. */
    public TorchScriptMeta meta() {
        return meta;
    }

    @Override
    public int numClasses() {
        return meta.numClasses();
    }

    @Override
    public int featureChannels() {
        return meta.featureChannels();
    }

    @Override
    public NDList run(ParameterStore ps, NDArray images, boolean training) {
        return module.forward(ps, new NDList(images), training);
    }

    @Override
    public NDArray classify(ParameterStore ps, NDArray features, boolean training) {
        NDArray w = module.getParameters().get(meta.classifierWeight()).getArray();
        NDArray b = meta.classifierBias() == null ? null : module.getParameters().get(meta.classifierBias())
                .getArray();
        return Conv2d.conv2d(features, w, b).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return run(ps, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return module.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // loaded with its weights: nothing to initialise
    }

    /** Frees the TorchScript module. */
    public void close() {
        model.close();
    }
}
