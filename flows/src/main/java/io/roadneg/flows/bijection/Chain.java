package io.roadneg.flows.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Composition of bijections: forward in order (log-dets add up), inverse in reverse order. */
public final class Chain implements Bijection {
    private final List<? extends Bijection> parts;

    /** The composition {@code parts[n-1] o ... o parts[0]}. */
    public Chain(List<? extends Bijection> parts) {
        this.parts = List.copyOf(parts);
    }

    @Override
    public Transformed forward(NDArray x, boolean training) {
        return forward(parts, x, training);
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        return inverse(parts, z, training);
    }

    /**
     * Runs each part with its intermediate arrays in a scratch manager closed right after it, keeping only z and the
     * running log-det: autograd holds what backward needs, and the rest is freed during the forward pass (as eager
     * PyTorch frees it) instead of living until the caller's manager closes.
     */
    static Transformed forward(List<? extends Bijection> parts, NDArray x, boolean training) {
        NDManager parent = x.getManager();
        NDArray logDet = null;
        NDArray z = x;
        for (Bijection b : parts) {
            try (NDManager scratch = parent.newSubManager()) {
                z.tempAttach(scratch);
                Transformed t = b.forward(z, training);
                NDArray sum = logDet == null ? t.logDet() : logDet.add(t.logDet());
                t.z().attach(parent);
                sum.attach(parent);
                z = t.z();
                logDet = sum;
            }
        }
        return new Transformed(z, logDet);
    }

    static NDArray inverse(List<? extends Bijection> parts, NDArray z, boolean training) {
        NDArray x = z;
        for (int i = parts.size() - 1; i >= 0; i--) {
            x = parts.get(i).inverse(x, training);
        }
        return x;
    }
}
