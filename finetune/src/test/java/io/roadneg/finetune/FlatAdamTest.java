package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import io.roadneg.finetune.train.Adam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleConsumer;
import org.junit.jupiter.api.Test;

/** The one-chain Adam against the per-parameter one it replaced: same weights, same saved state, same resume. */
class FlatAdamTest {
    static final Shape[] SHAPES = {new Shape(3, 4, 2, 2), new Shape(4), new Shape(5, 3), new Shape(1),
        new Shape(2, 2, 3, 1)};

    /** Parameters of several shapes, drawn from {@code seed} (the same values for the same seed). */
    static List<Parameter> params(NDManager m, long seed) {
        Random rng = new Random(seed);
        List<Parameter> out = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            Parameter p = Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT).optShape(SHAPES[i])
                    .build();
            p.setInitializer(Initializer.ZEROS);
            p.initialize(m, DataType.FLOAT32);
            float[] v = new float[(int) SHAPES[i].size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) rng.nextGaussian();
            }
            p.getArray().set(v);
            p.getArray().setRequiresGradient(true);
            out.add(p);
        }
        return out;
    }

    /** Gradients of sum(w^3) + sum(w) (3 w^2 + 1: different at every element, no Number constants). */
    static void backward(List<Parameter> ps) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Parameter p : ps) {
                NDArray w = p.getArray();
                NDArray l = w.mul(w).mul(w).sum().add(w.sum());
                loss = loss == null ? l : loss.add(l);
            }
            gc.backward(loss);
        }
    }

    static double lr(int step) {
        return 1e-2 * (1 + step % 3);
    }

    static void run(List<Parameter> ps, DoubleConsumer step, int from, int to) {
        for (int s = from; s < to; s++) {
            backward(ps);
            step.accept(lr(s));
        }
    }

    static void assertSameWeights(List<Parameter> a, List<Parameter> b) {
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).getArray().toFloatArray(), a.get(i).getArray().toFloatArray(), 1e-6f,
                    a.get(i).getName());
        }
    }

    @Test
    void twentyStepsMatchThePerParameterRule() throws Exception {
        for (double wd : new double[] {0, 0.05}) {
            try (NDManager m = NDManager.newBaseManager()) {
                List<Parameter> a = params(m, 3);
                List<Parameter> b = params(m, 3);
                try (Adam flat = new Adam(a, 0.9, 0.999, 1e-8, wd);
                        PerParameterAdam ref = new PerParameterAdam(b, 0.9, 0.999, 1e-8, wd)) {
                    run(a, flat::step, 0, 20);
                    run(b, ref::step, 0, 20);
                    assertEquals(20, flat.steps());
                    assertSameWeights(a, b);
                    // the weights moved: the comparison is not between two untouched copies
                    float moved = Math.abs(a.get(0).getArray().toFloatArray()[0]
                            - params(m, 3).get(0).getArray().toFloatArray()[0]);
                    assertTrue(moved > 0.05f, "moved " + moved);
                    ByteArrayOutputStream sa = new ByteArrayOutputStream();
                    ByteArrayOutputStream sb = new ByteArrayOutputStream();
                    flat.save(sa);
                    ref.save(sb);
                    assertArrayEquals(sb.toByteArray(), sa.toByteArray(), "saved state, weight decay " + wd);
                }
            }
        }
    }

    @Test
    void resumesFromStateThePerParameterAdamSaved() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            List<Parameter> a = params(m, 5);
            List<Parameter> b = params(m, 5);
            try (PerParameterAdam ref = new PerParameterAdam(b, 0.9, 0.999, 1e-8, 0.01)) {
                run(b, ref::step, 0, 10);
                // the flat optimiser picks up the old one's state half way, on a copy of its weights
                for (int i = 0; i < a.size(); i++) {
                    a.get(i).getArray().set(b.get(i).getArray().toFloatArray());
                }
                ByteArrayOutputStream saved = new ByteArrayOutputStream();
                ref.save(saved);
                try (Adam flat = new Adam(a, 0.9, 0.999, 1e-8, 0.01)) {
                    flat.load(new ByteArrayInputStream(saved.toByteArray()));
                    assertEquals(10, flat.steps());
                    run(a, flat::step, 10, 20);
                    run(b, ref::step, 10, 20);
                    assertSameWeights(a, b);
                }
            }
        }
    }
}
