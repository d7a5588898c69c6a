package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;

/** Replays recorded draws in order, checking that each request has the recorded shape. */
final class ReplayNoise implements Noise {
    private final List<NDArray> draws;
    private int next;

    ReplayNoise(Map<String, NDArray> fixture, String prefix) {
        draws = fixture.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().map(fixture::get).toList();
    }

    @Override
    public NDArray normal(NDManager m, Shape shape) {
        if (next >= draws.size()) {
            throw new AssertionError("more draws requested than recorded (" + draws.size() + ")");
        }
        NDArray d = draws.get(next++);
        if (!d.getShape().equals(shape)) {
            throw new AssertionError("draw " + (next - 1) + " requested with shape " + shape + ", recorded "
                    + d.getShape());
        }
        return m.create(d.toFloatArray(), shape);
    }

    int used() {
        return next;
    }

    int recorded() {
        return draws.size();
    }
}
