package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import io.roadneg.flows.ParamStore;

/** BatchNorm over channels with PyTorch's defaults (eps 1e-5, running-average momentum 0.1). */
public final class BatchNorm2d {
    /** DJL's momentum is the weight of the old running value: 1 - PyTorch's 0.1. */
    private static final float DJL_MOMENTUM = 0.9f;
    private static final float EPS = 1e-5f;

    private final NDArray weight;
    private final NDArray bias;
    private final NDArray mean;
    private final NDArray var;

    /** {@code name.weight/bias/running_mean/running_var}. */
    public BatchNorm2d(ParamStore p, String name, int c) {
        Shape s = new Shape(c);
        weight = p.constantParameter(name + ".weight", s, 1);
        bias = p.constantParameter(name + ".bias", s, 0);
        mean = p.add(name + ".running_mean", ParamStore.Kind.BUFFER, s, new float[c]);
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1);
        var = p.add(name + ".running_var", ParamStore.Kind.BUFFER, s, ones);
    }

    /** Normalises with batch statistics (updating the running ones) in training, with the running ones otherwise. */
    public NDArray apply(NDArray x, boolean training) {
        return BatchNorm.batchNorm(x, mean, var, weight, bias, 1, DJL_MOMENTUM, EPS, training).singletonOrThrow();
    }
}
