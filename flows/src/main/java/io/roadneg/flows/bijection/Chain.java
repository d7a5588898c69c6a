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

    /**
     * Runs each part, last first, in a scratch manager as {@link #forward} does, and frees each intermediate result
     * once the next part has read it (the caller's {@code z} stays the caller's): drawing one 1024 x 1024 sample
     * from the CPU preset held 3.9 GB when every part's arrays lived until the caller's manager closed.
     */
    static NDArray inverse(List<? extends Bijection> parts, NDArray z, boolean training) {
        NDManager parent = z.getManager();
        NDArray x = z;
        for (int i = parts.size() - 1; i >= 0; i--) {
            try (NDManager scratch = parent.newSubManager()) {
                if (x == z) {
                    x.tempAttach(scratch);
                } else {
                    x.attach(scratch); // an intermediate of this chain: nothing after this part reads it
                }
                NDArray y = parts.get(i).inverse(x, training);
                y.attach(parent);
                x = y;
            }
        }
        return x;
    }
}
