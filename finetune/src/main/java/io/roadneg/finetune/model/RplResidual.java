package io.roadneg.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * RPL's residual module for the built-in ladder, shaped as RPL's: an ASPP-like block on the deepest encoder features
 * (a 1x1 branch, one dilated 3x3 branch per atrous rate and an image-pooling branch, each convolution + batch norm +
 * ReLU, concatenated), a 1x1 bottleneck to C channels, bilinear upsampling to the decoder's stride-4 grid, and a 1x1
 * output projection. The bottleneck features are what RPL's projection head (CoroCL) reads; the output is added to
 * the decoder's stride-4 input. The output projection starts at zero, so the RPL logits start equal to the base's.
 */
public final class RplResidual extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int channels;
    private final List<Block> branches = new ArrayList<>();
    private final Block pooled;
    private final Block bottleneck;
    private final Block out;

    /**
     * @param channels C, the decoder's channel count (the bottleneck and the output)
     * @param rates atrous rates of the dilated 3x3 branches, on the deepest encoder grid
     */
    public RplResidual(int channels, int... rates) {
        super(VERSION);
        this.channels = channels;
        branches.add(addChildBlock("branch1x1", convBnRelu(channels, 1, 1)));
        for (int r : rates) {
            branches.add(addChildBlock("branch3x3r" + r, convBnRelu(channels, 3, r)));
        }
        pooled = addChildBlock("pool", convBnRelu(channels, 1, 1));
        bottleneck = addChildBlock("bottleneck", LadderNet.conv(channels, 1, 1, false));
        Conv2d projection = LadderNet.conv(channels, 1, 1, true);
        projection.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        out = addChildBlock("out", projection);
    }

    private static Block convBnRelu(int filters, int kernel, int dilation) {
        Conv2d conv = Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(dilation * (kernel / 2), dilation * (kernel / 2)))
                .optDilation(new Shape(dilation, dilation)).optBias(false).build();
        return new SequentialBlock().add(conv).add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build())
                .add(Activation::relu);
    }

    /**
     * Runs the residual on the deepest encoder features {@code deep}: {@code [residual, bottleneck features]}, both
     * N x C x h x w on the decoder's stride-4 grid.
     */
    public NDList run(ParameterStore ps, NDArray deep, long h, long w, boolean training) {
        long[] s = deep.getShape().getShape();
        NDList parts = new NDList();
        NDArray image = deep.mean(new int[] {3}, true).mean(new int[] {2}, true);
        NDArray pool = pooled.forward(ps, new NDList(image), training).singletonOrThrow();
        parts.add(pool.broadcast(new Shape(s[0], channels, s[2], s[3])));
        for (Block b : branches) {
            parts.add(b.forward(ps, new NDList(deep), training).singletonOrThrow());
        }
        NDArray x = bottleneck.forward(ps, new NDList(NDArrays.concat(parts, 1)), training).singletonOrThrow();
        NDArray up = Ops.resize(x, h, w);
        NDArray residual = out.forward(ps, new NDList(up), training).singletonOrThrow();
        return new NDList(residual, up);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray deep = inputs.singletonOrThrow();
        return run(ps, deep, deep.getShape().get(2), deep.getShape().get(3), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape o = new Shape(in.get(0), channels, in.get(2), in.get(3));
        return new Shape[] {o, o};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        for (Block b : branches) {
            b.initialize(manager, dataType, in);
        }
        pooled.initialize(manager, dataType, new Shape(in.get(0), in.get(1), 1, 1));
        bottleneck.initialize(manager, dataType,
                new Shape(in.get(0), (long) channels * (branches.size() + 1), in.get(2), in.get(3)));
        out.initialize(manager, dataType, new Shape(in.get(0), channels, in.get(2), in.get(3)));
    }
}
