package io.roadneg.flows.bijection;

import ai.djl.ndarray.NDArray;

/**
 * Space-to-channel 2x2 squeeze (RealNVP): channel {@code 4c + 2i + j} of the output holds pixel (i, j) of each 2x2
 * cell of input channel c. Volume-preserving.
 */
public final class Squeeze implements Bijection {
    /** The squeeze of {@code x} (H and W even). */
    public static NDArray squeeze(NDArray x) {
        long[] s = x.getShape().getShape();
        return x.reshape(s[0], s[1], s[2] / 2, 2, s[3] / 2, 2).transpose(0, 1, 3, 5, 2, 4)
                .reshape(s[0], 4 * s[1], s[2] / 2, s[3] / 2);
    }

    /** The inverse of {@link #squeeze} (C a multiple of 4). */
    public static NDArray unsqueeze(NDArray z) {
        long[] s = z.getShape().getShape();
        return z.reshape(s[0], s[1] / 4, 2, 2, s[2], s[3]).transpose(0, 1, 4, 2, 5, 3)
                .reshape(s[0], s[1] / 4, 2 * s[2], 2 * s[3]);
    }

    @Override
    public Transformed forward(NDArray x, boolean training) {
        return new Transformed(squeeze(x), x.getManager().zeros(new ai.djl.ndarray.types.Shape(x.getShape().get(0))));
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        return unsqueeze(z);
    }
}
