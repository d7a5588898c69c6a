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

    /**
     * The flat update equals the per-parameter rule element by element (the same float32 ops in the same order, run
     * here one parameter at a time) after 20 steps over parameters of several shapes, and saving then loading the
     * state continues exactly.
     */
    @Test
    void theFlatStepEqualsThePerParameterRuleAndResumesExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Shape[] shapes = {new Shape(3, 4), new Shape(5), new Shape(2, 3, 1, 1), new Shape(1)};
        try (NDManager root = NDManager.newBaseManager()) {
            List<NDArray> flat = params(root, shapes);
            List<NDArray> ref = params(root, shapes);
            NDArray[] mom = new NDArray[shapes.length];
            NDArray[] inf = new NDArray[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                mom[i] = root.zeros(shapes[i]);
                inf[i] = root.zeros(shapes[i]);
            }
            java.nio.file.Path state = dir.resolve("adamax.npz");
            try (Adamax opt = new Adamax(flat, 0.9, 0.999, 1e-8)) {
                for (int t = 1; t <= 20; t++) {
                    double lr = 1e-2 * (t % 3 + 1);
                    backward(flat, t);
                    backward(ref, t);
                    opt.step(lr);
                    float stepSize = (float) (lr / (1 - Math.pow(0.9, t)));
                    for (int i = 0; i < shapes.length; i++) {
                        NDArray g = ref.get(i).getGradient();
                        mom[i].muli(0.9f).addi(g.mul((float) (1 - 0.9)));
                        inf[i] = inf[i].mul(0.999f).maximum(g.abs().addi((float) 1e-8));
                        ref.get(i).subi(mom[i].div(inf[i]).muli(stepSize));
                        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) ref.get(i));
                    }
                    for (int i = 0; i < shapes.length; i++) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(ref.get(i).toFloatArray(),
                                flat.get(i).toFloatArray(), "step " + t + " parameter " + i);
                    }
                    if (t == 10) {
                        opt.save(state);
                    }
                }
            }
            // from step 10's state, ten more steps land on the same weights
            List<NDArray> again = params(root, shapes);
            try (Adamax first = new Adamax(again, 0.9, 0.999, 1e-8)) {
                for (int t = 1; t <= 10; t++) {
                    backward(again, t);
                    first.step(1e-2 * (t % 3 + 1));
                }
            }
            try (Adamax resumed = new Adamax(again, 0.9, 0.999, 1e-8)) {
                resumed.load(state);
                assertEquals(10, resumed.steps());
                for (int t = 11; t <= 20; t++) {
                    backward(again, t);
                    resumed.step(1e-2 * (t % 3 + 1));
                }
            }
            for (int i = 0; i < shapes.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(flat.get(i).toFloatArray(),
                        again.get(i).toFloatArray(), "resumed parameter " + i);
            }
        }
    }

    private static List<NDArray> params(NDManager m, Shape[] shapes) {
        List<NDArray> out = new java.util.ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            NDArray w = Noise.seeded(40 + i, 0).normal(m, shapes[i]);
            w.setRequiresGradient(true);
            out.add(w);
        }
        return out;
    }

    /** Gradients of a loss that varies with the step: sum over parameters of sin(t w) w^2. */
    private static void backward(List<NDArray> ws, int t) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (NDArray w : ws) {
                NDArray l = io.roadneg.flows.nn.Scalars.times(w, t).sin().mul(w.square()).sum();
                loss = loss == null ? l : loss.add(l);
            }
            gc.backward(loss);
        }
    }
}
