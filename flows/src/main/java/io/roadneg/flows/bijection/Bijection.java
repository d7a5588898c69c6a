package io.roadneg.flows.bijection;

import ai.djl.ndarray.NDArray;

/**
 * An invertible map of N x C x H x W tensors. {@code forward} returns z and log|det dz/dx| per batch item;
 * {@code inverse} undoes it. Both are ordinary engine operations, so gradients flow through either direction.
 */
public interface Bijection {
    /** z and the log-determinant (shape N). {@code training}: batch statistics in BatchNorm-bearing networks. */
    Transformed forward(NDArray x, boolean training);

    /** x such that {@code forward(x).z() == z}. */
    NDArray inverse(NDArray z, boolean training);

    /** The output of a forward pass. */
    record Transformed(NDArray z, NDArray logDet) {
    }

    /** Sums every axis but the first (the batch). */
    static NDArray sumPerItem(NDArray x) {
        int[] axes = new int[x.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return x.sum(axes);
    }

    /** A per-item log-determinant that is the same scalar for every item. */
    static NDArray repeatPerItem(NDArray scalar, NDArray x) {
        return scalar.reshape(1).repeat(0, x.getShape().get(0));
    }
}
