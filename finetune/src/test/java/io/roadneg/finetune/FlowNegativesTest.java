package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.FlowPatches;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.loss.CompositeLoss;
import io.roadneg.finetune.loss.LossConfig;
import io.roadneg.finetune.loss.Targets;
import io.roadneg.finetune.loss.Terms;
import io.roadneg.finetune.model.SegOutput;
import io.roadneg.finetune.score.Score;
import io.roadneg.finetune.train.FlowNegatives;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.finetune.train.TrainConfig.FlowNegativesConfig;
import io.roadneg.finetune.train.Trainer;
import io.roadneg.flows.Adamax;
import io.roadneg.flows.DenseFlow;
import io.roadneg.flows.DenseFlowConfig;
import io.roadneg.flows.FlowRun;
import io.roadneg.flows.ParamStore;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow negatives: the squares' plan, gradients into a joint flow, the NFlowJS term and score, exact resume. */
class FlowNegativesTest {
    @TempDir
    static Path dir;
    static Path sample;
    static Path flowRun;

    @BeforeAll
    static void makeSampleAndFlow() {
        sample = dir.resolve("sd");
        SampleData.generate(SampleDataOptions.small(sample, 3), Progress.NONE);
        flowRun = dir.resolve("flow");
        try (DenseFlow flow = new DenseFlow(DenseFlowConfig.preset("denseflow-cpu"), 4);
                Adamax opt = new Adamax(flow.params().parameters(), 0.9, 0.999, 1e-8)) {
            FlowRun.writeConfig(flowRun, flow.config());
            FlowRun.writeCheckpoint(flowRun, 1, flow, opt, new ObjectMapper().createObjectNode().put("step", 1));
        }
    }

    static FlowNegativesConfig flowConfig(boolean joint) {
        return new FlowNegativesConfig(flowRun.toString(), null, null, null, null, joint, null, null, null);
    }

    @Test
    void squaresTakeTheDecodableSidesOfTheScaledRangeAndAreLabelledNegative() {
        // sides 16..216 stated for 2048-wide frames: a 512-wide frame takes 4..54, of which denseflow-cpu decodes
        // the multiples of 16 (3 squeezes, then a 2 x 2 grid for the attention's 4 landmarks)
        try (FlowNegatives f = FlowNegatives.open(flowRun, flowConfig(false), null)) {
            FlowPatches plan = f.patches(128, 256);
            assertArrayEquals(new int[] {16, 32, 48}, plan.sides(512));
            assertArrayEquals(new int[] {16, 32, 48, 64, 80, 96, 112, 128}, plan.sides(2048));
            RgbImage crop = new RgbImage(256, 128, new byte[256 * 128 * 3]);
            crop.data()[3 * (256 * 40 + 100) + 1] = (byte) 200;
            List<Integer> seen = new ArrayList<>();
            for (long g = 0; g < 40; g++) {
                int[] labels = new int[256 * 128];
                FlowPatches.Patch p = plan.draw(9, g, 512, crop, labels);
                FlowPatches.Patch again = plan.draw(9, g, 512, crop, new int[256 * 128]);
                assertEquals(List.of(p.side(), p.x(), p.y()), List.of(again.side(), again.x(), again.y()),
                        "the same draw for the same sample");
                assertArrayEquals(p.inlier(), again.inlier());
                seen.add(p.side());
                long negatives = Arrays.stream(labels).filter(v -> v == LabelValues.PASTED_OUTLIER).count();
                assertEquals((long) p.side() * p.side(), negatives);
                assertEquals(LabelValues.PASTED_OUTLIER, labels[p.y() * 256 + p.x()]);
                assertTrue(p.x() + p.side() <= 256 && p.y() + p.side() <= 128);
                if (p.x() <= 100 && 100 < p.x() + p.side() && p.y() <= 40 && 40 < p.y() + p.side()) {
                    assertEquals(200f, p.inlier()[p.side() * p.side() + (40 - p.y()) * p.side() + 100 - p.x()],
                            "the covered inlier pixels are kept for the flow's likelihood");
                }
            }
            assertTrue(seen.containsAll(List.of(16, 32, 48)), "every side drawn: " + seen);
        }
    }

    /** A one-sample batch of 32 x 48 with a 16-pixel square at (8, 4). */
    private static Batch batch() {
        float[] inlier = new float[3 * 16 * 16];
        for (int i = 0; i < inlier.length; i++) {
            inlier[i] = (i * 37) % 256;
        }
        return new Batch(1, 0, 32, 48, java.nio.ByteBuffer.allocateDirect(3 * 32 * 48),
                java.nio.ByteBuffer.allocateDirect(32 * 48), 0, List.of("t"),
                List.of(new FlowPatches.Patch(16, 8, 4, inlier)), null);
    }

    /** The sum of squared gradients of every flow parameter (0 where none was recorded). */
    private static double gradientNorm(DenseFlow flow) {
        double s = 0;
        for (NDArray p : flow.params().parameters()) {
            NDArray g = p.getGradient();
            s += g.square().sum().getFloat();
            g.close();
        }
        return s;
    }

    @Test
    void theSegmenterLossReachesAJointFlowThroughThePastedSquareAndNotAFrozenOne() {
        for (boolean joint : new boolean[] {true, false}) {
            try (FlowNegatives f = FlowNegatives.open(flowRun, flowConfig(joint), null);
                    NDManager m = NDManager.newBaseManager()) {
                Batch b = batch();
                Normalization norm = Normalization.imagenet();
                NDArray x = m.zeros(new Shape(1, 3, 32, 48));
                // a stand-in for the segmenter: one trainable gain on the pasted image
                NDArray gain = m.ones(new Shape(1));
                gain.setRequiresGradient(true);
                NDArray frozenPaste = joint ? null : f.paste(m, x, b, norm, 3, 0);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray pasted = joint ? f.paste(m, x, b, norm, 3, 0) : frozenPaste;
                    // the square holds the flow's sample, the rest is the image
                    assertEquals(0f, pasted.get("0, :, 0:4, :").abs().sum().getFloat());
                    assertNotEquals(0f, pasted.get("0, :, 4:20, 8:24").abs().sum().getFloat());
                    gc.backward(pasted.mul(gain).square().mean());
                }
                assertNotEquals(0f, gain.getGradient().getFloat(), "the stand-in segmenter gets its gradient");
                double g = gradientNorm(f.flow());
                if (joint) {
                    assertTrue(g > 0, "gradient into the joint flow: " + g);
                } else {
                    assertEquals(0.0, g, "no gradient into a frozen flow");
                }
            }
        }
    }

    @Test
    void theFlowLikelihoodTermIsBitsPerDimensionOfTheCoveredInlierPixels() {
        try (FlowNegatives f = FlowNegatives.open(flowRun, flowConfig(true), null);
                NDManager m = NDManager.newBaseManager()) {
            Batch b = batch();
            NDArray nll = f.nll(m, b, 3, 0);
            NDArray img = m.create(b.patches().get(0).inlier(), new Shape(1, 3, 16, 16));
            double direct = f.flow().bitsPerDim(img, true, io.roadneg.flows.Noise.seeded(
                    io.roadneg.datasets.Seeds.of(3, io.roadneg.datasets.Seeds.TRAIN_FLOW_NLL, 0), 0)).getFloat();
            assertEquals(direct, nll.getFloat(), 1e-4);
            assertTrue(nll.getFloat() > 0);
        }
    }

    @Test
    void theJsdTermAndScoreEqualThePythonReference() throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/jsd_reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        int n = ref.get("shape").get(0).asInt();
        int k = ref.get("shape").get(1).asInt();
        int h = ref.get("shape").get(2).asInt();
        int w = ref.get("shape").get(3).asInt();
        float[] logits = new float[n * k * h * w];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) ref.get("logits").get(i).asDouble();
        }
        int[] labels = new int[n * h * w];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ref.get("negative").get(i).asDouble() > 0 ? LabelValues.PASTED_OUTLIER : i % k;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(logits, new Shape(n, k, h, w));
            float[] jsd = Terms.jsdToUniform(s).toFloatArray();
            float[] score = Score.JSD.compute(new SegOutput(s, null, null, null, null, null)).toFloatArray();
            for (int i = 0; i < jsd.length; i++) {
                double expected = ref.get("jsd").get(i).asDouble();
                assertEquals(expected, jsd[i], 1e-5, "pixel " + i);
                assertEquals(-expected, score[i], 1e-5, "the score is minus the divergence");
                assertTrue(jsd[i] >= -1e-6 && jsd[i] <= Math.log(2) + 1e-6);
            }
            assertTrue(score[0] > score[1], "a uniform posterior scores above a confident one");
            CompositeLoss loss = new LossConfig.NFlowJs(0.03).build();
            CompositeLoss.Value v = loss.compute(new SegOutput(s, null, null, null, null, null),
                    new Targets(m, labels, n, h, w, k, 1));
            assertEquals(ref.get("loss").asDouble(), v.terms().get("jsd_neg"), 1e-5);
            assertEquals(v.terms().get("ce") + 0.03 * v.terms().get("jsd_neg"), v.total().getFloat(), 1e-5);
        }
    }

    static TrainConfig config(String loss, boolean joint) {
        return TrainerTest.config(loss, Map.of("data.negatives.source", "flow", "data.negatives.flow.run",
                flowRun.toString(), "data.negatives.flow.joint", String.valueOf(joint)));
    }

    static Trainer.Result run(TrainConfig c, Path out, Path init, boolean resume, long maxSteps) throws Exception {
        FlowNegatives f = FlowNegatives.open(Path.of(c.data().negatives().flow().run()), c.data().negatives().flow(),
                null);
        return Trainer.run(new Trainer.Options(c, Configs.toYaml(c), out, sample.resolve("cityscapes"), "train", init,
                null, null, 7, resume, maxSteps, Progress.NONE, new PrintWriter(new StringWriter()), null, f));
    }

    static List<String> lines(Path out) throws Exception {
        List<String> l = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("train.jsonl"))) {
            com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode)
                    json.readTree(line);
            o.remove("ms");
            l.add(o.toString());
        }
        return l;
    }

    private static float[] flowArray(Path checkpoint, String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
                InputStream in = Files.newInputStream(checkpoint.resolve(FlowNegatives.FLOW_FILE))) {
            return ParamStore.readNpz(m, in).get(name).toFloatArray();
        }
    }

    @Test
    void aJointRunResumesExactlyAndLogsTheFlowTermBesideTheSegmentersTerms() throws Exception {
        Path base = dir.resolve("base");
        Trainer.run(new Trainer.Options(TrainerTest.config("base", Map.of()), Configs.toYaml(TrainerTest.config(
                "base", Map.of())), base, sample.resolve("cityscapes"), "train", null, null, null, 7, false, 0,
                Progress.NONE, new PrintWriter(new StringWriter())));
        TrainConfig c = config("nflowjs", true);
        Path full = dir.resolve("joint-full");
        run(c, full, base, false, 0);
        List<String> all = lines(full);
        assertEquals(4, all.size());
        for (String line : all) {
            assertTrue(line.contains("\"ce\"") && line.contains("\"jsd_neg\"") && line.contains("\"flow_nll\""),
                    line);
        }
        Path half = dir.resolve("joint-half");
        run(c, half, base, false, 2);
        run(c, half, base, true, 0);
        assertEquals(all, lines(half), "the resumed joint run logs the same terms, step for step");
        Path ckFull = full.resolve("checkpoints/step-00000004");
        Path ckHalf = half.resolve("checkpoints/step-00000004");
        assertTrue(Files.isRegularFile(ckFull.resolve(FlowNegatives.FLOW_OPTIMIZER_FILE)));
        try (FlowRun start = FlowRun.open(flowRun)) {
            int changed = 0;
            for (String a : start.flow().params().savedNames()) {
                assertArrayEquals(flowArray(ckFull, a), flowArray(ckHalf, a), "flow array " + a);
                changed += Arrays.equals(start.flow().params().get(a).toFloatArray(), flowArray(ckFull, a)) ? 0 : 1;
            }
            assertTrue(changed > 0, "the joint flow trained");
            // the finished joint run leaves its flow as a flow run folder, the same arrays as its last checkpoint
            try (FlowRun after = FlowRun.open(full.resolve(FlowNegatives.FLOW_RUN_DIR))) {
                assertEquals(4, after.step());
                assertEquals(start.config(), after.config());
                for (String a : start.flow().params().savedNames()) {
                    assertArrayEquals(flowArray(ckFull, a), after.flow().params().get(a).toFloatArray(), a);
                }
            }
        }

        // a frozen flow: no likelihood term, nothing of the flow in the checkpoint
        Path frozen = dir.resolve("frozen");
        run(config("densehybrid", false), frozen, base, false, 0);
        for (String line : lines(frozen)) {
            assertTrue(line.contains("\"lse_neg\"") && !line.contains("flow_nll"), line);
        }
        assertFalse(Files.exists(frozen.resolve("checkpoints/step-00000004").resolve(FlowNegatives.FLOW_FILE)));
        assertFalse(Files.exists(frozen.resolve(FlowNegatives.FLOW_RUN_DIR)), "a frozen flow is not copied");
    }

    @Test
    void withoutAFlowFolderAFlowRunIsRefusedInOneLine() {
        InputException e = assertThrows(InputException.class, () -> Trainer.run(new Trainer.Options(
                config("nflowjs", false), "x", dir.resolve("none"), sample.resolve("cityscapes"), "train", null,
                null, null, 7, false, 0, Progress.NONE, new PrintWriter(new StringWriter()))));
        assertTrue(e.getMessage().contains("--flow"), e.getMessage());
        InputException notRun = assertThrows(InputException.class, () -> FlowNegatives.open(sample,
                flowConfig(false), null));
        assertTrue(notRun.getMessage().contains("--flow") && !notRun.getMessage().contains("\n"),
                notRun.getMessage());
    }
}
