package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run folder: writing checkpoints, opening a run, sampling from it, and every refusal in one line. */
class FlowRunTest {
    private static ObjectNode state(long step) {
        return new ObjectMapper().createObjectNode().put("step", step).put("epoch", 0);
    }

    /** A run folder holding the tiny configuration and one checkpoint of a perturbed flow (seed). */
    static Path tinyRun(Path dir, long seed, long step) {
        try (DenseFlow flow = DenseFlowTest.perturbedTiny(seed);
                Adamax opt = new Adamax(flow.params().parameters(), 0.9, 0.999, 1e-8)) {
            FlowRun.writeConfig(dir, flow.config());
            FlowRun.writeCheckpoint(dir, step, flow, opt, state(step));
        }
        return dir;
    }

    @Test
    void openLoadsTheLatestCheckpointAndSamplesAsTheFlowDoes(@TempDir Path dir) throws Exception {
        tinyRun(dir, 7, 3);
        try (FlowRun run = FlowRun.open(dir); DenseFlow same = DenseFlowTest.perturbedTiny(7);
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(ReferenceFixtureTest.tiny(), run.config());
            assertEquals(3, run.step());
            assertEquals(dir.resolve("checkpoints/step-3"), run.checkpoint());
            assertEquals("step-3\n", Files.readString(dir.resolve("checkpoints/latest")));
            assertTrue(run.describe().startsWith("tiny checkpoints/step-3 of "), run.describe());
            assertEquals(3, run.channels());
            assertTrue(run.acceptsSize(16, 32));
            assertFalse(run.acceptsSize(12, 16));
            NDArray a = run.sampler().sample(m, 2, 16, 16, 0.7, 11, 4);
            NDArray b = same.sample(m, 2, 16, 16, 0.7, Noise.seeded(11, 4));
            assertArrayEquals(b.toFloatArray(), a.toFloatArray());
            for (float v : a.toFloatArray()) {
                assertTrue(v >= 0 && v <= 255 && v == Math.floor(v), "quantised " + v);
            }
        }
        // a newer checkpoint becomes the one opened; no temp folder is left behind
        tinyRun(dir, 8, 10);
        try (FlowRun run = FlowRun.open(dir)) {
            assertEquals(10, run.step());
        }
        try (var s = Files.list(dir.resolve("checkpoints"))) {
            assertEquals(List.of("latest", "step-10", "step-3"), s.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
    }

    @Test
    void refusesEachBrokenRunInOneLine(@TempDir Path dir) throws Exception {
        InputException e = assertThrows(InputException.class, () -> FlowRun.open(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("not a flow run folder"), e.getMessage());
        Path run = tinyRun(dir.resolve("run"), 1, 5);
        // a checkpoint of another configuration
        Path other = dir.resolve("other");
        tinyRun(other, 1, 5);
        Files.writeString(other.resolve("config.yaml"), Files.readString(other.resolve("config.yaml"))
                .replace("growthRate: 2", "growthRate: 4"));
        e = assertThrows(InputException.class, () -> FlowRun.open(other, null, "--model"));
        assertTrue(e.getMessage().contains("--model = tiny: a checkpoint of another flow configuration than "
                + "config.yaml describes"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // a broken npz
        Files.write(run.resolve("checkpoints/step-5/flow.npz"), new byte[] {1, 2, 3});
        e = assertThrows(InputException.class, () -> FlowRun.open(run));
        assertTrue(e.getMessage().contains("not a readable .npz"), e.getMessage());
        // latest naming a missing or incomplete checkpoint, or nothing sensible
        Files.writeString(run.resolve("checkpoints/latest"), "step-9\n");
        e = assertThrows(InputException.class, () -> FlowRun.open(run));
        assertTrue(e.getMessage().contains("checkpoint is missing flow.npz"), e.getMessage());
        Files.writeString(run.resolve("checkpoints/latest"), "../../etc\n");
        e = assertThrows(InputException.class, () -> FlowRun.open(run));
        assertTrue(e.getMessage().contains("must name a checkpoint folder step-N"), e.getMessage());
        Files.delete(run.resolve("checkpoints/latest"));
        e = assertThrows(InputException.class, () -> FlowRun.open(run));
        assertTrue(e.getMessage().contains("no checkpoint yet"), e.getMessage());
        Files.delete(run.resolve("config.yaml"));
        e = assertThrows(InputException.class, () -> FlowRun.open(run));
        assertTrue(e.getMessage().contains("no config.yaml"), e.getMessage());
    }

    @Test
    void samplingRefusesSizesAndTemperaturesInOneLine(@TempDir Path dir) {
        tinyRun(dir, 2, 1);
        try (FlowRun run = FlowRun.open(dir); NDManager m = NDManager.newBaseManager()) {
            InputException e = assertThrows(InputException.class, () -> run.sample(m, 1, 20, 16, 1, 0, 0));
            assertEquals("sample size = 20x16: this flow's 3 squeezes need height and width positive multiples of 8",
                    e.getMessage());
            e = assertThrows(InputException.class, () -> run.sample(m, 1, 16, 16, 0, 0, 0));
            assertEquals("temperature = 0.0: must be a positive number", e.getMessage());
        }
    }

    @Test
    void optimizerStateRoundTripsSoTrainingContinuesExactly(@TempDir Path dir) throws Exception {
        float[][] straight;
        float[][] resumed;
        try (DenseFlow flow = DenseFlowTest.perturbedTiny(3);
                Adamax opt = new Adamax(flow.params().parameters(), 0.9, 0.999, 1e-8)) {
            steps(flow, opt, 0, 2);
            FlowRun.writeConfig(dir, flow.config());
            FlowRun.writeCheckpoint(dir, 2, flow, opt, state(2));
            steps(flow, opt, 2, 2);
            straight = values(flow);
        }
        try (FlowRun run = FlowRun.open(dir);
                Adamax opt = new Adamax(run.flow().params().parameters(), 0.9, 0.999, 1e-8)) {
            opt.load(run.checkpoint().resolve(FlowRun.OPTIMIZER_FILE));
            assertEquals(2, opt.steps());
            steps(run.flow(), opt, 2, 2);
            resumed = values(run.flow());
        }
        for (int i = 0; i < straight.length; i++) {
            assertArrayEquals(straight[i], resumed[i], "parameter " + i);
        }
        try (DenseFlow bigger = new DenseFlow(ReferenceFixtureTest.tiny(), 0);
                Adamax opt = new Adamax(bigger.params().parameters().subList(0, 3), 0.9, 0.999, 1e-8)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> opt.load(dir.resolve("checkpoints/step-2/optimizer.npz")));
            assertTrue(e.getMessage().contains("this flow has 3"), e.getMessage());
        }
    }

    private static void steps(DenseFlow flow, Adamax opt, int from, int n) {
        try (NDManager root = NDManager.newBaseManager()) {
            for (int s = from; s < from + n; s++) {
                try (NDManager step = root.newSubManager()) {
                    NDArray x = step.create(fixedBatch(s), new Shape(2, 3, 16, 16));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(flow.bitsPerDim(x, true, Noise.seeded(1, s * 2L)));
                    }
                    opt.step(1e-3);
                }
            }
        }
    }

    private static float[][] values(DenseFlow flow) {
        List<NDArray> p = flow.params().parameters();
        float[][] out = new float[p.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.get(i).toFloatArray();
        }
        return out;
    }

    /** A batch of two 16 x 16 images, a function of the step. */
    private static float[] fixedBatch(int step) {
        float[] v = new float[2 * 3 * 16 * 16];
        SplittableRandom r = new SplittableRandom(step);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(256);
        }
        return v;
    }
}
