package io.roadneg.flows.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.roadneg.flows.nn.Conditioner;
import io.roadneg.flows.nn.NoiseNet;

/**
 * Affine coupling: the first ceil(C/2) channels pass through and, with an optional context concatenated, give the
 * network's (s, t) per remaining channel (interleaved: s0, t0, s1, t1, ...); the rest become
 * {@code t + exp(2 tanh(s / 2)) * x2}, log-det the sum of those log-scales. DenseFlow's intra-unit coupling and its
 * dequantisation flow's conditional coupling are both this.
 */
public final class AffineCoupling implements Bijection {
    private final Conditioner net;

    /** A coupling whose network maps ceil(C/2) (+ context) channels to 2 floor(C/2). */
    public AffineCoupling(Conditioner net) {
        this.net = net;
    }

    @Override
    public Transformed forward(NDArray x, boolean training) {
        return forward(x, null, training);
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        return inverse(z, null, training);
    }

    /** Forward with a context (N x K x H x W, or null). */
    public Transformed forward(NDArray x, NDArray context, boolean training) {
        long k = (x.getShape().get(1) + 1) / 2;
        NDArray x1 = x.get(":, :" + k);
        NDArray[] st = scaleShift(x1, context, training, x.getShape().get(1) - k);
        NDArray z2 = x.get(":, " + k + ":").mul(st[0].exp()).add(st[1]);
        return new Transformed(NDArrays.concat(new NDList(x1, z2), 1), Bijection.sumPerItem(st[0]));
    }

    /** Inverse with the context forward was given. */
    public NDArray inverse(NDArray z, NDArray context, boolean training) {
        long k = (z.getShape().get(1) + 1) / 2;
        NDArray z1 = z.get(":, :" + k);
        NDArray[] st = scaleShift(z1, context, training, z.getShape().get(1) - k);
        NDArray x2 = z.get(":, " + k + ":").sub(st[1]).mul(st[0].neg().exp());
        return NDArrays.concat(new NDList(z1, x2), 1);
    }

    private NDArray[] scaleShift(NDArray x1, NDArray context, boolean training, long transformed) {
        NDArray in = context == null ? x1 : NDArrays.concat(new NDList(x1, context), 1);
        NDArray h = net.apply(in, training);
        long[] s = h.getShape().getShape();
        if (s[1] != 2 * transformed) {
            throw new IllegalStateException("coupling network gives " + s[1] + " channels for " + transformed
                    + " transformed channels; it must give two per channel");
        }
        NDArray p = h.reshape(s[0], s[1] / 2, 2, s[2], s[3]);
        return new NDArray[] {NoiseNet.boundedLogScale(p.get(":, :, 0")), p.get(":, :, 1")};
    }
}
