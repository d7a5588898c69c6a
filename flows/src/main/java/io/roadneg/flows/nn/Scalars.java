package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication and division by a constant that are safe under autograd. DJL's {@code NDArray.mul(Number)} and
 * {@code div(Number)} (PyTorch engine, 0.35.1) wrap the number in a temporary array made from a Java buffer and close
 * it right after the operation; the backward pass still reads that scalar, and once the Java buffer has been
 * collected it reads garbage (intermittent NaN gradients in training, every run under a small heap; docs/flows.md;
 * the same holds for {@code maximum(Number)}). Here the scalar is made by the engine ({@code full}), so autograd's
 * own reference keeps it alive. Used by the segmenter losses in {@code finetune} too.
 */
public final class Scalars {
    private Scalars() {
    }

    /** {@code x * v}. */
    public static NDArray times(NDArray x, double v) {
        try (NDArray s = x.getManager().full(new Shape(), (float) v, x.getDataType())) {
            return x.mul(s);
        }
    }

    /** {@code max(x, v)} elementwise (its gradient compares x with the scalar, so the scalar must stay alive). */
    public static NDArray atLeast(NDArray x, double v) {
        try (NDArray s = x.getManager().full(new Shape(), (float) v, x.getDataType())) {
            return x.maximum(s);
        }
    }

    /** {@code x / v}. */
    public static NDArray over(NDArray x, double v) {
        return times(x, 1 / v);
    }
}
