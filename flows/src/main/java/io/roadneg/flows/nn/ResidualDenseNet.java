package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import io.roadneg.flows.ParamStore;

/**
 * The dequantisation flow's coupling network: 1x1 convolution to {@code mid}, {@code h + dense(h)}, and a 1x1
 * convolution out that starts at zero (so each coupling starts as the identity).
 */
public final class ResidualDenseNet implements Conditioner {
    private final Conv in;
    private final DenseBlock dense;
    private final Conv out;

    /** A network named {@code name} ({@code conv_in}, {@code dense}, {@code conv_out}). */
    public ResidualDenseNet(ParamStore p, String name, int cin, int cout, int mid, int depth, int growth) {
        in = new Conv(p, name + ".conv_in", cin, mid, 1, 1, true, false);
        dense = new DenseBlock(p, name + ".dense", mid, mid, depth, growth);
        out = new Conv(p, name + ".conv_out", mid, cout, 1, 1, true, true);
    }

    @Override
    public NDArray apply(NDArray x, boolean training) {
        NDArray h = in.apply(x);
        return out.apply(h.add(dense.apply(h)));
    }
}
