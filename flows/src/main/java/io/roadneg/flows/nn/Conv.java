package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.roadneg.flows.ParamStore;

/** A square 2-D convolution with PyTorch's default initialisation, or zeros where the flow starts as identity. */
public final class Conv {
    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape pad;

    /** {@code cin -> cout} channels, kernel {@code k}, stride {@code s}, padding {@code k / 2} unless strided. */
    public Conv(ParamStore p, String name, int cin, int cout, int k, int s, boolean withBias, boolean zeroInit) {
        Shape ws = new Shape(cout, cin, k, k);
        double bound = 1 / Math.sqrt((double) cin * k * k);
        weight = zeroInit ? p.constantParameter(name + ".weight", ws, 0) : p.uniformParameter(name + ".weight", ws, bound);
        if (withBias) {
            bias = zeroInit ? p.constantParameter(name + ".bias", new Shape(cout), 0)
                    : p.uniformParameter(name + ".bias", new Shape(cout), bound);
        } else {
            bias = null;
        }
        stride = new Shape(s, s);
        pad = s == 1 ? new Shape(k / 2, k / 2) : new Shape(0, 0);
    }

    /** Applies the convolution. */
    public NDArray apply(NDArray x) {
        return Conv2d.conv2d(x, weight, bias, stride, pad, new Shape(1, 1), 1).singletonOrThrow();
    }
}
