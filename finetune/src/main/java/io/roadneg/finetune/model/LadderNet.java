package io.roadneg.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in segmenter: a residual encoder (stem, then stages of basic residual blocks, each stage halving the
 * resolution) and a ladder-style decoder (lateral 1x1 convolutions, bilinear upsampling, a 3x3 blending convolution
 * per level; no transposed convolutions). Features come out at stride 4; the 1x1 classifier maps them to K logits.
 * {@code finetune/scripts/ladder_step_reference.py} builds the same network in PyTorch.
 */
public final class LadderNet extends AbstractBlock implements SegmenterBase {
    private static final byte VERSION = 1;

    private final LadderSpec spec;
    private final int numClasses;
    private final Block stem;
    private final List<Block> stages = new ArrayList<>();
    private final Block top;
    private final List<Block> laterals = new ArrayList<>();
    private final List<Block> blends = new ArrayList<>();
    private final Block classifier;

    /** A ladder network of the given size for K classes. */
    public LadderNet(LadderSpec spec, int numClasses) {
        super(VERSION);
        this.spec = spec;
        this.numClasses = numClasses;
        int w = spec.width();
        stem = addChildBlock("stem", convBn(w, 3, 2, true));
        for (int i = 0; i < spec.depth(); i++) {
            int cin = i == 0 ? w : w << (i - 1);
            int c = w << i;
            SequentialBlock stage = new SequentialBlock();
            for (int b = 0; b < spec.blocks(); b++) {
                stage.add(basicBlock(b == 0 ? cin : c, c, b == 0 ? 2 : 1));
            }
            stages.add(addChildBlock("stage" + i, stage));
        }
        top = addChildBlock("top", conv(spec.decoder(), 1, 1, true));
        for (int i = spec.depth() - 2; i >= 0; i--) {
            laterals.add(addChildBlock("lateral" + i, conv(spec.decoder(), 1, 1, true)));
            blends.add(addChildBlock("blend" + i, convBn(spec.decoder(), 3, 1, true)));
        }
        classifier = addChildBlock("classifier", conv(numClasses, 1, 1, true));
    }

    static Conv2d conv(int filters, int kernel, int stride, boolean bias) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).optBias(bias)
                .build();
    }

    static SequentialBlock convBn(int filters, int kernel, int stride, boolean relu) {
        SequentialBlock b = new SequentialBlock().add(conv(filters, kernel, stride, false))
                .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        if (relu) {
            b.add(Activation::relu);
        }
        return b;
    }

    private static Block basicBlock(int cin, int cout, int stride) {
        SequentialBlock main = new SequentialBlock().add(convBn(cout, 3, stride, true)).add(convBn(cout, 3, 1, false));
        Block shortcut = stride == 1 && cin == cout ? Blocks.identityBlock() : convBn(cout, 1, stride, false);
        return new ParallelBlock(list -> new NDList(Activation.relu(list.get(0).singletonOrThrow()
                .add(list.get(1).singletonOrThrow()))), List.of(main, shortcut));
    }

    /** The network's size. */
    public LadderSpec spec() {
        return spec;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int featureChannels() {
        return spec.decoder();
    }

    @Override
    public NDList run(ParameterStore ps, NDArray images, boolean training) {
        return decode(ps, encode(ps, images, training), null, training);
    }

    /** The encoder's outputs, shallow to deep (the last one feeds the decoder's top projection). */
    public List<NDArray> encode(ParameterStore ps, NDArray images, boolean training) {
        NDArray x = scoped(stem, ps, images, training);
        List<NDArray> levels = new ArrayList<>();
        for (Block stage : stages) {
            x = scoped(stage, ps, x, training);
            levels.add(x);
        }
        return levels;
    }

    /** Channels of the deepest encoder output. */
    public int deepChannels() {
        return spec.width() << (spec.depth() - 1);
    }

    /**
     * The decoder over encoder outputs: {@code [logits, features]}; {@code residual} (decoder channels on the
     * stride-4 grid, or null) is added to the input of the last 3x3 blend (to the top projection of a one-level
     * ladder), where RPL's residual enters: what follows is the frozen blend and classifier.
     */
    public NDList decode(ParameterStore ps, List<NDArray> levels, NDArray residual, boolean training) {
        NDArray x = levels.get(levels.size() - 1);
        NDArray y = scoped(top, ps, x, training);
        if (residual != null && laterals.isEmpty()) {
            y = y.add(residual);
        }
        for (int j = 0; j < laterals.size(); j++) {
            NDArray skip = levels.get(levels.size() - 2 - j);
            long[] s = skip.getShape().getShape();
            NDArray lat = scoped(laterals.get(j), ps, skip, training);
            NDArray up = Ops.resize(y, s[2], s[3]);
            NDArray sum = up.add(lat);
            if (residual != null && j == laterals.size() - 1) {
                NDArray with = sum.add(residual);
                sum.close();
                sum = with;
            }
            NDArray next = scoped(blends.get(j), ps, sum, training);
            for (NDArray done : new NDArray[] {lat, up, sum}) {
                if (done != y) {
                    done.close();
                }
            }
            y = next;
        }
        NDArray logits = classify(ps, y, training);
        return new NDList(logits, y);
    }

    /**
     * Runs a child block with its intermediate arrays in a scratch manager closed right after, so only the output
     * stays referenced from Java: autograd keeps what backward needs, and the rest is freed during the forward pass
     * as in eager PyTorch, instead of living until the end of the step.
     */
    static NDArray scoped(Block block, ParameterStore ps, NDArray x, boolean training) {
        NDManager parent = x.getManager();
        try (NDManager scratch = parent.newSubManager()) {
            x.tempAttach(scratch);
            NDArray y = block.forward(ps, new NDList(x), training).singletonOrThrow();
            y.attach(parent);
            return y;
        }
    }

    @Override
    public NDArray classify(ParameterStore ps, NDArray features, boolean training) {
        return classifier.forward(ps, new NDList(features), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return run(ps, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long h = in.get(2) / 4;
        long w = in.get(3) / 4;
        return new Shape[] {new Shape(in.get(0), numClasses, h, w), new Shape(in.get(0), spec.decoder(), h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        stem.initialize(manager, dataType, s);
        s = stem.getOutputShapes(new Shape[] {s})[0];
        List<Shape> levelShapes = new ArrayList<>();
        for (Block stage : stages) {
            stage.initialize(manager, dataType, s);
            s = stage.getOutputShapes(new Shape[] {s})[0];
            levelShapes.add(s);
        }
        top.initialize(manager, dataType, s);
        Shape y = top.getOutputShapes(new Shape[] {s})[0];
        for (int j = 0; j < laterals.size(); j++) {
            Shape skip = levelShapes.get(levelShapes.size() - 2 - j);
            laterals.get(j).initialize(manager, dataType, skip);
            y = new Shape(skip.get(0), spec.decoder(), skip.get(2), skip.get(3));
            blends.get(j).initialize(manager, dataType, y);
        }
        classifier.initialize(manager, dataType, y);
    }
}
