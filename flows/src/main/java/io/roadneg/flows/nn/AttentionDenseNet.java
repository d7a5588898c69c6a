package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.roadneg.flows.ParamStore;

/**
 * DenseFlow's intra-unit coupling network (public code: {@code DenseNetMultihead} with one
 * {@code MultiHeadDenseBlock}): a 1x1 convolution to {@code mid}; a dense block and a Nystrom attention side by side,
 * concatenated and mixed by BatchNorm, ReLU and a bias-free 1x1 convolution; a zero-initialised 1x1 convolution out.
 */
public final class AttentionDenseNet implements Conditioner {
    private final Conv in;
    private final DenseBlock dense;
    private final NystromAttention attention;
    private final BatchNorm2d mixBn;
    private final Conv mixConv;
    private final Conv out;

    /** {@code conv_in, dense, attention, mix_bn, mix_conv, conv_out} under {@code name}. */
    public AttentionDenseNet(ParamStore p, String name, int cin, int cout, int mid, int depth, int growth,
            int landmarks) {
        in = new Conv(p, name + ".conv_in", cin, mid, 1, 1, true, false);
        dense = new DenseBlock(p, name + ".dense", mid, mid, depth, growth);
        attention = new NystromAttention(p, name + ".attention", mid, mid / 2, landmarks);
        mixBn = new BatchNorm2d(p, name + ".mix_bn", 2 * mid);
        mixConv = new Conv(p, name + ".mix_conv", 2 * mid, mid, 1, 1, false, false);
        out = new Conv(p, name + ".conv_out", mid, cout, 1, 1, true, true);
    }

    @Override
    public NDArray apply(NDArray x, boolean training) {
        NDArray h = in.apply(x);
        NDArray m = NDArrays.concat(new NDList(attention.apply(h), dense.apply(h)), 1);
        return out.apply(mixConv.apply(Activation.relu(mixBn.apply(m, training))));
    }
}
