package io.roadneg.finetune.model;

import ai.djl.ndarray.NDArray;
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
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A segmenter base plus what the losses need: extra heads on the decoder features and, for RPL, a residual module
 * on the frozen base whose output goes through the base's own layers. On the built-in ladder it is RPL's: an
 * ASPP-like {@link RplResidual} on the deepest encoder features whose output is added to the decoder's stride-4 input
 * (RPL's code adds it to the input of DeepLabV3+'s final convolutions), with the projection head on its bottleneck
 * features. On an opaque TorchScript base it reads the decoder features and is added to them in front of the
 * classifier, and the projection head reads the decoder features.
 */
public final class SegmentationNet extends AbstractBlock {
    /**
     * Atrous rates of the ladder residual's dilated branches on the deepest encoder grid (stride 16 at depth 3): RPL's
     * 12 / 24 / 36 on a stride-8 grid of 2048-wide frames reach 96-288 pixels; on the 512-wide sample frames a
     * quarter of that is 1.5-4.5 cells of stride 16.
     */
    static final int[] LADDER_RESIDUAL_RATES = {1, 2, 3};

    private final SegmenterBase base;
    private final Map<Head, Block> heads = new EnumMap<>(Head.class);
    private final Block residual;
    private final boolean frozenBase;

    /**
     * @param base the segmenter base
     * @param heads extra heads
     * @param rplResidual whether to add the RPL residual (the base is then frozen)
     */
    public SegmentationNet(SegmenterBase base, Set<Head> heads, boolean rplResidual) {
        super((byte) 1);
        this.base = addChildBlock("base", base);
        int c = base.featureChannels();
        for (Head h : Head.values()) {
            if (!heads.contains(h)) {
                continue;
            }
            Block b = h == Head.PROJECTION
                    ? new SequentialBlock().add(LadderNet.conv(c, 1, 1, true)).add(Activation::relu)
                            .add(LadderNet.conv(h.channels(), 1, 1, true))
                    : LadderNet.conv(h.channels(), 1, 1, true);
            this.heads.put(h, addChildBlock(h.key(), b));
        }
        if (rplResidual && base instanceof LadderNet) {
            residual = addChildBlock("residual", new RplResidual(c, LADDER_RESIDUAL_RATES));
        } else if (rplResidual) {
            Conv2d out = LadderNet.conv(c, 1, 1, true);
            // a zero projection: the residual starts at 0, so RPL logits start equal to the base's
            out.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            residual = addChildBlock("residual", new SequentialBlock().add(LadderNet.conv(c, 3, 1, false))
                    .add(BatchNorm.builder().build()).add(Activation::relu).add(out));
        } else {
            residual = null;
        }
        this.frozenBase = rplResidual;
    }

    /** The base. */
    public SegmenterBase base() {
        return base;
    }

    /** The heads this network has. */
    public Set<Head> heads() {
        return heads.keySet();
    }

    /** Whether the base is frozen under an RPL residual. */
    public boolean hasResidual() {
        return residual != null;
    }

    /** The parameters training updates: everything but a frozen base. */
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (var e : getChildren()) {
            if (frozenBase && e.getValue() == base) {
                continue;
            }
            for (var p : e.getValue().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.add(p.getValue());
                }
            }
        }
        return out;
    }

    /** Runs the network on normalised N x 3 x H x W images. */
    public SegOutput run(ParameterStore ps, NDArray images, boolean training) {
        long h = images.getShape().get(2);
        long w = images.getShape().get(3);
        if (residual != null && base instanceof LadderNet ladder) {
            return runLadderRpl(ps, ladder, images, training, h, w);
        }
        NDList b;
        if (frozenBase) {
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                b = base.run(ps, images, false);
            } finally {
                JniUtils.setGradMode(grad);
            }
        } else {
            b = base.run(ps, images, training);
        }
        NDArray logits = b.get(0);
        NDArray features = b.get(1);
        if (frozenBase && base instanceof TorchScriptBase) {
            // a TorchScript module in evaluation mode returns inference tensors, which autograd refuses to save
            logits = logits.duplicate();
            features = features.duplicate();
        }
        NDArray vanilla = null;
        if (residual != null) {
            vanilla = Ops.resize(logits, h, w);
            features = features.add(residual.forward(ps, new NDList(features), training).singletonOrThrow());
            logits = base.classify(ps, features, false);
        }
        return output(ps, logits, features, features, vanilla, training, h, w);
    }

    /**
     * The output with the extra heads run on {@code features} and the projection head on {@code embed}; logits
     * resized to H x W.
     */
    private SegOutput output(ParameterStore ps, NDArray logits, NDArray features, NDArray embed, NDArray vanilla,
            boolean training, long h, long w) {
        NDArray dout = head(Head.DOUT, ps, features, training, h, w);
        NDArray abstain = head(Head.ABSTAIN, ps, features, training, h, w);
        NDArray projection = null;
        if (heads.containsKey(Head.PROJECTION)) {
            NDArray e = heads.get(Head.PROJECTION).forward(ps, new NDList(embed), training).singletonOrThrow();
            NDArray norm = e.square().sum(new int[] {1}, true).add(1e-12f).sqrt();
            projection = e.div(norm);
        }
        return new SegOutput(Ops.resize(logits, h, w), features, vanilla, dout, abstain, projection);
    }

    /**
     * RPL on the built-in ladder, where RPL's code puts its residual: on the deepest encoder features, added to the
     * decoder's stride-4 input, then through the frozen last blend and classifier. The frozen encoder and the vanilla
     * decoder run without autograd; the second decoder pass keeps it, so gradients reach the residual.
     */
    private SegOutput runLadderRpl(ParameterStore ps, LadderNet ladder, NDArray images, boolean training, long h,
            long w) {
        boolean grad = JniUtils.isGradMode();
        List<NDArray> levels;
        NDList plain;
        JniUtils.setGradMode(false);
        try {
            levels = ladder.encode(ps, images, false);
            plain = ladder.decode(ps, levels, null, false);
        } finally {
            JniUtils.setGradMode(grad);
        }
        NDArray vanilla = Ops.resize(plain.get(0), h, w);
        NDArray deep = levels.get(levels.size() - 1);
        Shape fine = levels.get(0).getShape();
        NDList res = ((RplResidual) residual).run(ps, deep, fine.get(2), fine.get(3), training);
        NDList rpl = ladder.decode(ps, levels, res.get(0), false);
        return output(ps, rpl.get(0), rpl.get(1), res.get(1), vanilla, training, h, w);
    }

    private NDArray head(Head head, ParameterStore ps, NDArray features, boolean training, long h, long w) {
        Block b = heads.get(head);
        if (b == null) {
            return null;
        }
        return Ops.resize(b.forward(ps, new NDList(features), training).singletonOrThrow(), h, w);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        SegOutput o = run(ps, inputs.singletonOrThrow(), training);
        return new NDList(o.logits(), o.features());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape f = base.getOutputShapes(inputShapes)[1];
        return new Shape[] {new Shape(in.get(0), base.numClasses(), in.get(2), in.get(3)), f};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        base.initialize(manager, dataType, inputShapes);
        Shape f = base.getOutputShapes(inputShapes)[1];
        for (Block b : heads.values()) {
            b.initialize(manager, dataType, f);
        }
        if (residual != null && base instanceof LadderNet ladder) {
            // the residual reads the deepest encoder output (stride 2^(depth + 1)) and writes decoder channels
            long stride = 2L << ladder.spec().depth();
            long[] in = inputShapes[0].getShape();
            residual.initialize(manager, dataType, new Shape(in[0], ladder.deepChannels(),
                    (in[2] + stride - 1) / stride, (in[3] + stride - 1) / stride));
        } else if (residual != null) {
            residual.initialize(manager, dataType, f);
        }
    }
}
