package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.roadneg.datasets.Progress;
import io.roadneg.finetune.model.Devices;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gen train / finetune / score through the command line on the sample data. */
class TrainCommandsTest {
    @TempDir
    static Path dir;
    static Path sd;

    @BeforeAll
    static void sample() {
        sd = dir.resolve("sd");
        SampleData.generate(SampleDataOptions.small(sd, 2), Progress.NONE);
    }

    static String[] small(String... args) {
        String[] extra = {"--sample-data", sd.toString(), "-q", "--set", "train.validate=", "--set",
            "data.crop=[64, 128]", "--set", "data.batch=2"};
        String[] all = new String[args.length + extra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return all;
    }

    @Test
    void trainFinetuneScoreEvaluate() throws Exception {
        Path base = dir.resolve("base");
        GenTest.Run t = new GenTest.Run(small("train", "--out", base.toString(), "--max-steps", "2", "--device",
                "cpu"));
        assertEquals(0, t.code, t.out + t.err);
        assertTrue(Files.isRegularFile(base.resolve("checkpoints/latest")));
        assertTrue(t.out.contains("profile sample-cpu"), t.out);
        assertTrue(t.out.contains("device cpu\n") && t.out.contains("on cpu:"), t.out);
        String prov = Files.readString(base.resolve("provenance.json"));
        assertTrue(prov.contains("\"command\":\"gen train\"") && prov.contains("\"libtorch\":\"2.7.1\""), prov);
        assertTrue(prov.contains("\"device\":\"cpu\""), prov);

        Path ft = dir.resolve("ft");
        GenTest.Run f = new GenTest.Run(small("finetune", "--loss", "densehybrid", "--negatives", "patches",
                "--model", base.toString(), "--out", ft.toString(), "--max-steps", "2"));
        assertEquals(0, f.code, f.out + f.err);
        String auto = Devices.name(Engine.getEngine("PyTorch").defaultDevice());
        assertTrue(f.out.contains("device " + auto + " (auto)"), f.out);
        assertTrue(Files.readString(ft.resolve("provenance.json")).contains("\"device\":\"" + auto + "\""));

        Path scores = dir.resolve("scores");
        GenTest.Run s = new GenTest.Run("score", "-q", "--model", ft.toString(), "--score", "densehybrid",
                "--dataset", "road-anomaly-masks", "--root", sd.resolve("road_anomaly").toString(), "--out",
                scores.toString(), "--device", "cpu");
        assertEquals(0, s.code, s.out + s.err);
        assertTrue(s.out.contains("device cpu"), s.out);
        GenTest.Run e = new GenTest.Run("eval", "--quiet", "--dataset", "road-anomaly-masks", "--root",
                sd.resolve("road_anomaly").toString(), "--scores", scores.toString());
        assertEquals(0, e.code, e.out + e.err);
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(scores.resolve("score.json")
                .toFile());
        assertEquals("gen score", manifest.get("provenance").get("command").asText());
        assertEquals("cpu", manifest.get("device").asText());

        GenTest.Run noHead = new GenTest.Run("score", "-q", "--model", base.toString(), "--score", "densehybrid",
                "--dataset", "road-anomaly-masks", "--root", sd.resolve("road_anomaly").toString(), "--out",
                dir.resolve("x").toString());
        assertEquals(2, noHead.code);
        assertTrue(noHead.err.contains("dout"), noHead.err);
        assertFalse(noHead.err.contains("\tat "), "no stack trace without -v");
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        GenTest.Run loss = new GenTest.Run(small("finetune", "--loss", "focal", "--model", "x", "--out",
                dir.resolve("o1").toString()));
        assertEquals(2, loss.code);
        assertTrue(loss.err.contains("--loss"), loss.err);
        GenTest.Run model = new GenTest.Run(small("finetune", "--loss", "pebal", "--model",
                dir.resolve("missing").toString(), "--out", dir.resolve("o2").toString(), "--negatives", "none"));
        assertEquals(2, model.code);
        assertTrue(model.err.contains("--model"), model.err);
        assertEquals(1, model.err.strip().lines().count(), model.err);
        GenTest.Run score = new GenTest.Run("score", "--model", "x", "--score", "magic", "--dataset",
                "fs-laf", "--root", "r", "--out", "o");
        assertEquals(2, score.code);
        assertTrue(score.err.contains("magic"), score.err);
    }

    @Test
    void aGpuThatIsNotThereIsRefusedWithTheFix() {
        // one past the GPUs DJL sees: none on a CPU-only machine, so plain "gpu" is refused there too
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        for (String asked : gpus == 0 ? new String[] {"gpu", "gpu:1"} : new String[] {"gpu:" + gpus}) {
            Path out = dir.resolve("gpu-" + asked.replace(':', '-'));
            GenTest.Run t = new GenTest.Run(small("train", "--out", out.toString(), "--max-steps", "1", "--device",
                    asked));
            assertEquals(2, t.code, t.out + t.err);
            assertEquals(1, t.err.strip().lines().count(), t.err);
            assertTrue(t.err.contains("--device") && t.err.contains(asked) && t.err.contains(gpus == 0 ? "no GPU"
                    : gpus + " GPU(s)"), t.err);
            assertTrue(t.err.contains("PYTORCH_LIBRARY_PATH") && t.err.contains("PYTORCH_FLAVOR=cu128")
                    && t.err.contains("PYTORCH_VERSION=2.7.1"), t.err);
            assertFalse(Files.exists(out.resolve("checkpoints")), "nothing trained");
        }
        GenTest.Run bad = new GenTest.Run("score", "--model", "x", "--score", "msp", "--dataset", "fs-laf", "--root",
                "r", "--out", "o", "--device", "cuda");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("cuda") && bad.err.contains("auto, cpu, gpu or gpu:N"), bad.err);
    }

    @Test
    void doctorReportsTheDevice() {
        GenTest.Run d = new GenTest.Run("doctor");
        String auto = Devices.name(Engine.getEngine("PyTorch").defaultDevice());
        assertTrue(d.out.contains("device: --device auto runs on " + auto), d.out);
    }

    @Test
    void flowNegativesRefuseBadInputInOneLineBeforeAnyWork() throws Exception {
        Path out = dir.resolve("flow-refused");
        String[][] cases = {
            {"finetune", "--loss", "densehybrid", "--negatives", "flow", "--model", dir.toString(), "--out",
                out.toString()},
            {"finetune", "--loss", "nflowjs", "--model", dir.toString(), "--out", out.toString()},
            {"finetune", "--loss", "densehybrid", "--negatives", "patches", "--joint", "--model", dir.toString(),
                "--out", out.toString()},
            {"finetune", "--loss", "ce", "--negatives", "flow", "--flow", dir.toString(), "--joint", "--model",
                dir.toString(), "--out", out.toString()},
            {"finetune", "--loss", "densehybrid", "--negatives", "patches", "--flow", dir.toString(), "--model",
                dir.toString(), "--out", out.toString()},
            {"finetune", "--loss", "nflowjs", "--flow", sd.toString(), "--model", dir.toString(), "--out",
                out.toString()}};
        String[] expect = {"--flow", "--flow", "--joint", "--joint", "--flow", "not a flow run folder"};
        for (int i = 0; i < cases.length; i++) {
            GenTest.Run r = new GenTest.Run(small(cases[i]));
            assertEquals(2, r.code, String.join(" ", cases[i]) + "\n" + r.out + r.err);
            assertTrue(r.err.contains(expect[i]), r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
            assertFalse(Files.exists(out), "nothing written before the refusal");
        }
    }
}
