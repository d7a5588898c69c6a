package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import io.roadneg.finetune.train.Adam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam against the update rule computed by hand, and its state round trip. */
class AdamTest {
    static Parameter param(NDManager m, float[] v) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(v.length))
                .build();
        p.setInitializer(Initializer.ZEROS);
        p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32);
        p.getArray().set(v);
        p.getArray().setRequiresGradient(true);
        return p;
    }

    static void gradStep(Parameter p, Adam adam, double lr) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // loss = sum(w^2) / 2: gradient w
            NDArray w = p.getArray();
            gc.backward(w.square().sum().div(2f));
        }
        adam.step(lr);
    }

    @Test
    void followsTheAdamRule() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = param(m, new float[] {1f, -2f});
            try (Adam adam = new Adam(List.of(p), 0.9, 0.999, 1e-8, 0)) {
                double[] w = {1, -2};
                double[] mm = new double[2];
                double[] vv = new double[2];
                for (int t = 1; t <= 3; t++) {
                    gradStep(p, adam, 0.1);
                    for (int i = 0; i < 2; i++) {
                        double g = w[i];
                        mm[i] = 0.9 * mm[i] + 0.1 * g;
                        vv[i] = 0.999 * vv[i] + 0.001 * g * g;
                        double mh = mm[i] / (1 - Math.pow(0.9, t));
                        double vh = vv[i] / (1 - Math.pow(0.999, t));
                        w[i] -= 0.1 * mh / (Math.sqrt(vh) + 1e-8);
                    }
                }
                float[] got = p.getArray().toFloatArray();
                assertEquals(w[0], got[0], 1e-5);
                assertEquals(w[1], got[1], 1e-5);
            }
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter a = param(m, new float[] {0.5f, 3f});
            Parameter b = param(m, new float[] {0.5f, 3f});
            try (Adam one = new Adam(List.of(a), 0.9, 0.999, 1e-8, 0.01);
                    Adam two = new Adam(List.of(b), 0.9, 0.999, 1e-8, 0.01)) {
                gradStep(a, one, 0.05);
                gradStep(b, two, 0.05);
                ByteArrayOutputStream saved = new ByteArrayOutputStream();
                one.save(saved);
                try (Adam restored = new Adam(List.of(b), 0.9, 0.999, 1e-8, 0.01)) {
                    restored.load(new ByteArrayInputStream(saved.toByteArray()));
                    assertEquals(1, restored.steps());
                    gradStep(a, one, 0.05);
                    gradStep(b, restored, 0.05);
                    assertArrayEquals(a.getArray().toFloatArray(), b.getArray().toFloatArray(), 0f);
                }
            }
        }
    }
}
