package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adamax against its formula; training steps of the tiny flow with it. */
class AdamaxTest {
    @Test
    void updatesFollowTheFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1f, -2f, 0.5f});
            w.setRequiresGradient(true);
            double[] ref = {1, -2, 0.5};
            double[] mom = new double[3];
            double[] inf = new double[3];
            try (Adamax opt = new Adamax(List.of(w), 0.9, 0.999, 1e-8)) {
                for (int t = 1; t <= 3; t++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        // loss = sum(w^3): gradient 3 w^2
                        gc.backward(w.pow(3).sum());
                    }
                    for (int i = 0; i < 3; i++) {
                        double g = 3 * ref[i] * ref[i];
                        mom[i] = 0.9 * mom[i] + 0.1 * g;
                        inf[i] = Math.max(0.999 * inf[i], Math.abs(g) + 1e-8);
                        ref[i] -= 0.01 / (1 - Math.pow(0.9, t)) * mom[i] / inf[i];
                    }
                    opt.step(0.01);
                    float[] v = w.toFloatArray();
                    for (int i = 0; i < 3; i++) {
                        assertEquals(ref[i], v[i], 1e-6, "step " + t + " value " + i);
                    }
                }
                assertEquals(3, opt.steps());
            }
        }
    }

    /**
     * A few steps of the tiny flow lower bits/dim on a fixed batch and stay finite. The garbage collections between
     * forward and backward provoke the failure {@link io.roadneg.flows.nn.Scalars} prevents (a scalar freed before
     * backward reads it): without it, these steps reached NaN under a small heap in every run.
     */
    @Test
    void trainingLowersBitsPerDimOnAFixedBatch() {
        try (DenseFlow flow = new DenseFlow(ReferenceFixtureTest.tiny(), 1); NDManager root = NDManager.newBaseManager()) {
            NDArray x = Noise.seeded(9, 0).normal(root, new Shape(4, 3, 16, 16)).mul(60).add(128).clip(0, 255).floor();
            flow.initialize(x, Noise.seeded(0, 0));
            double first = Double.NaN;
            double last = Double.NaN;
            try (Adamax opt = new Adamax(flow.params().parameters(), 0.9, 0.999, 1e-8)) {
                for (int s = 0; s < 6; s++) {
                    try (NDManager m = root.newSubManager()) {
                        NDArray in = x.duplicate();
                        in.attach(m);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray bpd = flow.bitsPerDim(in, true, Noise.seeded(s + 1, 0));
                            System.gc();
                            gc.backward(bpd);
                            last = bpd.getFloat();
                        }
                        opt.step(1e-2);
                    }
                    assertTrue(Double.isFinite(last), "step " + s + " bits/dim " + last);
                    if (s == 0) {
                        first = last;
                    }
                }
            }
            assertTrue(last < first, "bits/dim " + first + " -> " + last);
        }
    }
}
