package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.roadneg.finetune.model.Head;
import io.roadneg.finetune.model.LadderNet;
import io.roadneg.finetune.model.LadderSpec;
import io.roadneg.finetune.model.Ops;
import io.roadneg.finetune.model.SegOutput;
import io.roadneg.finetune.model.SegmentationNet;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LadderNetTest {
    @Test
    void bilinearResizeMatchesTorchAlignCornersFalse() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            float[] y = Ops.resize(x, 4, 4).toFloatArray();
            // F.interpolate(x, size=(4, 4), mode='bilinear', align_corners=False)[0, 0, 0]
            assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, new float[] {y[0], y[1], y[2], y[3]}, 1e-6f);
            assertArrayEquals(new float[] {0.5f, 0.75f, 1.25f, 1.5f}, new float[] {y[4], y[5], y[6], y[7]}, 1e-6f);
        }
    }

    @Test
    void logSumExpIsStable() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1000, 1000, 0, 0}, new Shape(2, 2));
            float[] l = Ops.logSumExp(x, 1, false).toFloatArray();
            assertEquals(1000 + Math.log(2), l[0], 1e-3);
            assertEquals(Math.log(2), l[1], 1e-6);
        }
    }

    @Test
    void shapesParametersAndGradients() {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager m = NDManager.newBaseManager()) {
            LadderNet base = new LadderNet(LadderSpec.defaults(), 19);
            SegmentationNet net = new SegmentationNet(base, EnumSet.of(Head.DOUT, Head.ABSTAIN), false);
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 128));
            long params = 0;
            for (var p : net.getParameters()) {
                if (p.getValue().getType() != Parameter.Type.RUNNING_MEAN
                        && p.getValue().getType() != Parameter.Type.RUNNING_VAR) {
                    params += p.getValue().getArray().size();
                }
            }
            System.out.println("ladder default parameters (19 classes, dout + abstain heads): " + params);
            for (Parameter p : net.trainableParameters()) {
                p.getArray().setRequiresGradient(true);
            }
            NDArray x = m.randomNormal(new Shape(2, 3, 64, 128));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                SegOutput o = net.run(new ParameterStore(m, false), x, true);
                assertEquals(new Shape(2, 19, 64, 128), o.logits().getShape());
                assertEquals(new Shape(2, 64, 16, 32), o.features().getShape());
                assertEquals(new Shape(2, 2, 64, 128), o.dout().getShape());
                assertEquals(new Shape(2, 1, 64, 128), o.abstain().getShape());
                gc.backward(o.logits().mean().add(o.dout().mean()));
            }
            Parameter stemW = net.trainableParameters().get(0);
            NDArray g = stemW.getArray().getGradient();
            assertNotNull(g);
            assertTrue(g.abs().sum().getFloat() > 0, "gradient reaches the stem");
        }
    }

    @Test
    void rplResidualStartsAtTheBaseAndFreezesIt() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            SegmentationNet net = new SegmentationNet(new LadderNet(new LadderSpec(8, 2, 1, 16), 5),
                    Set.of(Head.PROJECTION), true);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            for (Parameter p : net.trainableParameters()) {
                assertTrue(!p.getId().isEmpty());
            }
            SegOutput o = net.run(new ParameterStore(m, false), m.randomNormal(new Shape(1, 3, 32, 32)), false);
            assertEquals(0f, o.logits().sub(o.vanilla()).abs().max().getFloat(), 1e-6f);
            assertEquals(new Shape(1, 64, 8, 8), o.projection().getShape());
            long baseParams = net.base().getParameters().size();
            assertTrue(net.trainableParameters().size() < net.getParameters().size() - baseParams + 1);
            // the RPL logits' gradient reaches the residual (through the frozen decoder), not the base
            try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                SegOutput t = net.run(new ParameterStore(m, false), m.randomNormal(new Shape(2, 3, 32, 32)), true);
                gc.backward(t.logits().square().sum());
            }
            double residualGrad = 0;
            for (Parameter p : net.trainableParameters()) {
                if (net.getParameters().stream().anyMatch(e -> e.getKey().contains("residual") && e.getValue() == p)) {
                    residualGrad += p.getArray().getGradient().abs().sum().getFloat();
                }
            }
            assertTrue(residualGrad > 0, "the residual gets a gradient");
            // as in RPL, the projection head reads the residual's bottleneck features: CoroCL alone trains its ASPP
            net.trainableParameters().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
            try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                SegOutput t = net.run(new ParameterStore(m, false), m.randomNormal(new Shape(2, 3, 32, 32)), true);
                gc.backward(t.projection().get(new NDIndex(":, 0")).sum());
            }
            double branchGrad = 0;
            for (var e : net.getParameters()) {
                boolean branch = e.getKey().contains("residual") && e.getKey().contains("branch3x3");
                if (branch && e.getValue().requiresGradient()) {
                    branchGrad += e.getValue().getArray().getGradient().abs().sum().getFloat();
                }
            }
            assertTrue(branchGrad > 0, "the projection's gradient reaches the residual's dilated branches");
        }
    }
}
