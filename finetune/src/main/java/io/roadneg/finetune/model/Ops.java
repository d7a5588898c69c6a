package io.roadneg.finetune.model;

import io.roadneg.flows.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

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

    /** The normalised 7-tap Gaussian of sigma 1 (OpenCV getGaussianKernel(7, 1), torchvision GaussianBlur(7, 1)). */
    public static float[] gaussian7() {
        float[] k = new float[7];
        double sum = 0;
        for (int i = 0; i < 7; i++) {
            sum += Math.exp(-0.5 * (i - 3) * (i - 3));
        }
        for (int i = 0; i < 7; i++) {
            k[i] = (float) (Math.exp(-0.5 * (i - 3) * (i - 3)) / sum);
        }
        return k;
    }

    /**
     * A differentiable 7x7 Gaussian blur (sigma 1) of an N x H x W array with reflect-101 borders, as OpenCV's
     * default and torchvision's GaussianBlur ("reflect" padding) use; a row pass, then a column pass.
     */
    public static NDArray gaussianBlur7(NDArray x) {
        float[] k = gaussian7();
        NDArray rows = blurAxis(x, 2, k);
        return blurAxis(rows, 1, k);
    }

    /** The source index of padded position {@code j} (-3 .. n + 2) under reflect-101 borders. */
    static long reflect101(long j, long n) {
        if (n == 1) {
            return 0;
        }
        long p = 2 * (n - 1);
        long r = Math.floorMod(j, p);
        return r < n ? r : p - r;
    }

    private static NDArray blurAxis(NDArray x, int axis, float[] k) {
        long n = x.getShape().get(axis);
        String pre = axis == 1 ? ":, " : ":, :, ";
        String post = axis == 1 ? ", :" : "";
        NDList parts = new NDList();
        for (long j = -3; j < 0; j++) {
            long i = reflect101(j, n);
            parts.add(x.get(pre + i + ":" + (i + 1) + post));
        }
        parts.add(x);
        for (long j = n; j < n + 3; j++) {
            long i = reflect101(j, n);
            parts.add(x.get(pre + i + ":" + (i + 1) + post));
        }
        NDArray padded = NDArrays.concat(parts, axis);
        NDArray out = null;
        for (int t = 0; t < 7; t++) {
            NDArray slice = Scalars.times(padded.get(pre + t + ":" + (t + n) + post), k[t]);
            out = out == null ? slice : out.add(slice);
        }
        return out;
    }
}
