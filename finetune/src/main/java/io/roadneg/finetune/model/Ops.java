package io.roadneg.finetune.model;

import ai.djl.ndarray.NDArray;

/** Tensor operations the DJL API lacks or spreads over engine internals. */
public final class Ops {
    /** DJL PyTorch engine's interpolation mode id for bilinear (0 nearest, 1 bilinear, 3 bicubic). */
    static final int BILINEAR = 1;

    private Ops() {
    }

    /** Bilinear resize of an N x C x h x w array to H x W (align_corners = false, as F.interpolate). */
    public static NDArray resize(NDArray x, long height, long width) {
        long[] s = x.getShape().getShape();
        if (s[2] == height && s[3] == width) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
    }

    /** log(sum(exp(x))) over one axis with the max shift; keeps the axis when asked. */
    public static NDArray logSumExp(NDArray x, int axis, boolean keepDims) {
        NDArray m = x.max(new int[] {axis}, true).stopGradient();
        NDArray lse = x.sub(m).exp().sum(new int[] {axis}, true).log().add(m);
        return keepDims ? lse : lse.squeeze(axis);
    }
}
