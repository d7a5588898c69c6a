package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.roadneg.finetune.model.Ops;
import io.roadneg.flows.nn.Scalars;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients through constants survive a garbage collection between forward and backward. DJL 0.35.1's
 * {@code NDArray.mul(Number)} / {@code div} / {@code maximum} wrap the number in a tensor over a Java buffer and close
 * it at once; backward then read freed memory (a weight of 3.5 came back as a gradient of 1.4e-45 in 50 of 50 runs
 * with a small heap). The losses' weights, the RPL temperature, PEBAL's clamps and the Gaussian blur's taps now go
 * through {@link Scalars}.
 */
class ScalarGradientTest {
    /** Garbage and freed direct buffers, then a collection: what a long training step does between the two passes. */
    private static void churn() {
        for (int k = 0; k < 20; k++) {
            byte[][] junk = new byte[200][];
            for (int j = 0; j < junk.length; j++) {
                junk[j] = new byte[10_000];
            }
            ByteBuffer.allocateDirect(1 << 16).putFloat(0, 1e30f);
        }
        System.gc();
        for (int k = 0; k < 50; k++) {
            ByteBuffer.allocateDirect(4).putFloat(0, Float.NaN);
        }
    }

    private static float[] grad(NDManager m, float[] x0, Shape shape, Function<NDArray, NDArray> f) {
        NDArray x = m.create(x0, shape);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(x).sum();
            churn();
            gc.backward(y);
        }
        return x.getGradient().toFloatArray();
    }

    @Test
    void weightsAndClampsKeepTheirGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int r = 0; r < 5; r++) {
                float[] g = grad(m, new float[] {1, 2, 3}, new Shape(3), x -> Scalars.times(x, 3.5));
                assertEquals(3.5f, g[0], 0);
                g = grad(m, new float[] {1, 2, 3}, new Shape(3), x -> Scalars.over(x, 4));
                assertEquals(0.25f, g[2], 0);
                // max(x, 2): gradient 1 where x > 2, 0 where x < 2
                g = grad(m, new float[] {1, 3, 5}, new Shape(3), x -> Scalars.atLeast(x, 2));
                assertEquals(0f, g[0], 0);
                assertEquals(1f, g[1], 0);
            }
        }
    }

    @Test
    void gaussianBlurPassesItsTapsBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] x0 = new float[15 * 15];
            for (int i = 0; i < x0.length; i++) {
                x0[i] = (i * 37 % 11) / 11f;
            }
            for (int r = 0; r < 3; r++) {
                float[] g = grad(m, x0, new Shape(1, 1, 15, 15), Ops::gaussianBlur7);
                // the kernel sums to 1: a pixel at least 3 away from every border feeds 49 outputs with all 49 taps
                assertEquals(1f, g[7 * 15 + 7], 1e-5f);
            }
        }
    }
}
