package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adamax against its formula. */
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
}
