package io.roadneg.flows.bijection;

import ai.djl.ndarray.NDArray;
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

    static Transformed forward(List<? extends Bijection> parts, NDArray x, boolean training) {
        NDArray logDet = null;
        NDArray z = x;
        for (Bijection b : parts) {
            Transformed t = b.forward(z, training);
            z = t.z();
            logDet = logDet == null ? t.logDet() : logDet.add(t.logDet());
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
