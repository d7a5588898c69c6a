package io.roadneg.flows.bijection;

import io.roadneg.flows.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Elementwise logistic sigmoid; log-det {@code sum log sigmoid'(x) = sum(-|x| - 2 log(1 + exp(-|x|)))} (the stable
 * form). Maps the dequantisation flow's output into (0, 1).
 */
public final class Sigmoid implements Bijection {
    @Override
    public Transformed forward(NDArray x, boolean training) {
        NDArray a = x.abs();
        NDArray logDeriv = a.neg().sub(Scalars.times(a.neg().exp().add(1).log(), 2));
        return new Transformed(Activation.sigmoid(x), Bijection.sumPerItem(logDeriv));
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        return z.log().sub(z.neg().add(1).log());
    }
}
