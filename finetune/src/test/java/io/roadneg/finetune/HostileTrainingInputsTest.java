package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.hostile.CaseTable;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.hostile.Crafted;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.finetune.data.FolderNegatives;
import io.roadneg.finetune.model.Checkpoints;
import io.roadneg.finetune.score.Score;
import io.roadneg.finetune.score.ScoreJob;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.finetune.train.Trainer;
import io.roadneg.finetune.train.Validation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile inputs and interrupted runs of {@code gen train} / {@code gen finetune} / {@code gen score}, one row per case
 * (part of the case table in docs/hostile-inputs.md): a resumed run's logs equal an uninterrupted run's (timings
 * aside), bomb frames are skipped before training, weights that contradict their {@code model.json} are refused.
 */
class HostileTrainingInputsTest {
    @TempDir
    static Path shared;
    static Path sample;

    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();

    @BeforeAll
    static void makeSample() {
        sample = shared.resolve("sd");
        SampleData.generate(SampleDataOptions.small(sample, 5), Progress.NONE);
    }

    static TrainConfig config() {
        return Recipes.load("base", "sample-cpu", null, Map.of("data.batch", "2", "data.crop", "[64, 128]",
                "train.epochs", "2", "train.stepsPerEpoch", "2", "train.logEvery", "1", "train.validate", "",
                "model.ladder.width", "8", "model.ladder.decoder", "16"));
    }

    private Trainer.Result run(Path cs, Path out, boolean resume, long maxSteps, boolean validate) throws IOException {
        TrainConfig c = config();
        Validation val = validate ? new Validation(io.roadneg.datasets.cityscapes.CityscapesDataset.open(
                sample.resolve("cityscapes")).labelledFrames("val"), null, null, Score.MSP) : null;
        return Trainer.run(new Trainer.Options(c, Configs.toYaml(c), out, cs, "train", null, null, val, 7, resume,
                maxSteps, Progress.NONE, new PrintWriter(log, true)));
    }

    /** A JSON-lines log without its timing field. */
    static List<String> withoutTimings(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(log)) {
            ObjectNode n = (ObjectNode) m.readTree(line);
            n.remove("ms");
            out.add(n.toString());
        }
        return out;
    }

    private static void assertNoTemps(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            List<String> temps = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(
                    AtomicFiles.TEMP_PREFIX) || n.contains(".tmp") || n.contains(".old")).toList();
            assertTrue(temps.isEmpty(), temps.toString());
        }
    }

    @TestFactory
    Stream<DynamicTest> interruptedRunsResumeToTheSameLogs() throws IOException {
        CaseTable t = new CaseTable(dir);
        Path cs = sample.resolve("cityscapes");
        t.add("train: killed between a checkpoint and its validation: the resume redoes the validation", () -> {
            Path full = t.dir().resolve("full");
            run(cs, full, false, 0, true);
            Path cut = t.dir().resolve("cut");
            run(cs, cut, false, 2, true);
            List<String> lines = Files.readAllLines(cut.resolve("validation.jsonl"));
            assertEquals(1, lines.size());
            Files.writeString(cut.resolve("validation.jsonl"), ""); // the kill came before the line was written
            Trainer.Result r = run(cs, cut, true, 0, true);
            assertEquals(2, r.validations().size(), "the missing validation and the last epoch's");
            assertEquals(withoutTimings(full.resolve("validation.jsonl")),
                    withoutTimings(cut.resolve("validation.jsonl")));
            assertEquals(withoutTimings(full.resolve("train.jsonl")), withoutTimings(cut.resolve("train.jsonl")));
        });
        t.add("train: killed before the first checkpoint: the rerun leaves no duplicate log line", () -> {
            Path full = t.dir().resolve("full");
            run(cs, full, false, 0, false);
            Path cut = t.dir().resolve("cut");
            Files.createDirectories(cut);
            Files.write(cut.resolve("train.jsonl"), Files.readAllLines(full.resolve("train.jsonl")).subList(0, 1));
            run(cs, cut, false, 0, false);
            assertEquals(withoutTimings(full.resolve("train.jsonl")), withoutTimings(cut.resolve("train.jsonl")));
        });
        t.add("train: killed after a step was logged past the checkpoint: the resume drops the line", () -> {
            Path full = t.dir().resolve("full");
            run(cs, full, false, 0, false);
            Path cut = t.dir().resolve("cut");
            run(cs, cut, false, 2, false);
            Files.writeString(cut.resolve("train.jsonl"), Files.readAllLines(full.resolve("train.jsonl")).get(2)
                    + "\n", java.nio.file.StandardOpenOption.APPEND);
            run(cs, cut, true, 0, false);
            assertEquals(withoutTimings(full.resolve("train.jsonl")), withoutTimings(cut.resolve("train.jsonl")));
        });
        t.add("train: a log line torn by a crash is dropped on resume", () -> {
            Path full = t.dir().resolve("full");
            run(cs, full, false, 0, false);
            Path cut = t.dir().resolve("cut");
            run(cs, cut, false, 2, false);
            Files.writeString(cut.resolve("train.jsonl"), "{\"step\":3,\"epo", java.nio.file.StandardOpenOption.APPEND);
            run(cs, cut, true, 0, false);
            assertEquals(withoutTimings(full.resolve("train.jsonl")), withoutTimings(cut.resolve("train.jsonl")));
        });
        t.add("train: half-written checkpoint folders and temp files of a killed run are removed on resume", () -> {
            Path cut = t.dir().resolve("cut");
            run(cs, cut, false, 2, false);
            Files.createDirectories(cut.resolve("checkpoints/.step-00000004.tmp12345"));
            Files.write(cut.resolve("checkpoints/.step-00000004.tmp12345/base.params"), new byte[] {1});
            Files.createDirectories(cut.resolve("checkpoints/.step-00000002.old999"));
            Files.write(cut.resolve(AtomicFiles.TEMP_PREFIX + "train.jsonl.abc"), new byte[] {1});
            run(cs, cut, true, 0, false);
            assertNoTemps(cut);
        });
        t.add("train: config.yaml is written atomically and checkpoints follow the umask", () -> {
            Path out = t.dir().resolve("modes");
            run(cs, out, false, 2, false);
            var fileMode = Files.getPosixFilePermissions(Files.createFile(t.dir().resolve("plain")));
            var dirMode = Files.getPosixFilePermissions(Files.createDirectory(t.dir().resolve("plain-dir")));
            try (Stream<Path> s = Files.walk(out)) {
                for (Path p : s.toList()) {
                    assertEquals(Files.isDirectory(p) ? dirMode : fileMode, Files.getPosixFilePermissions(p),
                            p.toString());
                }
            }
            assertEquals(Configs.toYaml(config()), Files.readString(out.resolve("config.yaml")));
            assertNoTemps(out);
        });
        return t.stream();
    }

    @TestFactory
    Stream<DynamicTest> hostileOptionsAndData() {
        CaseTable t = new CaseTable(dir);
        Path cs = sample.resolve("cityscapes");
        t.add("train: --max-steps -1 is refused", () -> {
            InputException e = assertThrows(InputException.class, () -> run(cs, t.dir().resolve("o"), false, -1,
                    false));
            assertTrue(e.getMessage().startsWith("--max-steps = -1: must be 0"), e.getMessage());
        });
        t.add("train: --out naming an existing file is a one-line input error", () -> {
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            InputException e = assertThrows(InputException.class, () -> run(cs, f, false, 2, false));
            assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
        });
        t.add("train: a second run on a folder another run holds is refused", () -> {
            Path out = t.dir().resolve("held");
            try (OutputLock l = OutputLock.acquire(out, "--out")) {
                InputException e = assertThrows(InputException.class, () -> run(cs, out, false, 2, false));
                assertTrue(e.getMessage().contains("another run is writing"), e.getMessage());
            }
        });
        for (String suffix : List.of("_leftImg8bit.png", "_gtFine_labelTrainIds.png")) {
            t.add("train: a training frame whose " + suffix + " declares 50000x50000 is skipped before training", () -> {
                Path copy = t.dir().resolve("cs");
                copyTree(cs, copy);
                Path victim;
                try (Stream<Path> s = Files.walk(copy.resolve(suffix.contains("left") ? "leftImg8bit/train"
                        : "gtFine/train"))) {
                    victim = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().findFirst()
                            .orElseThrow();
                }
                Files.write(victim, suffix.contains("left") ? Crafted.pngRgb(50000, 50000)
                        : Crafted.pngGray(50000, 50000));
                Trainer.Result r = run(copy, t.dir().resolve("o"), false, 4, false);
                assertEquals(4, r.steps());
                assertTrue(log.toString().contains("skipped frame") && log.toString().contains("over the pixel limit"),
                        log.toString());
            });
        }
        t.add("finetune: a missing negatives folder is named as such, not as a Cityscapes root", () -> {
            InputException e = assertThrows(InputException.class, () -> new FolderNegatives(t.dir().resolve("nope"),
                    "train"));
            assertTrue(e.getMessage().startsWith("negatives folder"), e.getMessage());
            assertFalse(e.getMessage().contains("cityscapes root"), e.getMessage());
        });
        t.add("score: a model.json saying width 24 over width-8 weights is refused", () -> {
            Path out = t.dir().resolve("w");
            run(cs, out, false, 2, false);
            Path ck = Checkpoints.resolve(out);
            ObjectNode root = (ObjectNode) new ObjectMapper().readTree(ck.resolve("model.json").toFile());
            ((ObjectNode) root.get("spec").get("ladder")).put("width", 24);
            Files.write(ck.resolve("model.json"), new ObjectMapper().writeValueAsBytes(root));
            InputException e = assertThrows(InputException.class, () -> ScoreJob.run(out, Score.MSP,
                    Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), t.dir().resolve("s"),
                    Progress.NONE));
            assertTrue(e.getMessage().contains("the weights have another shape than the spec"), e.getMessage());
            assertFalse(Files.exists(t.dir().resolve("s/score.json")), "nothing recorded for a model that is not");
        });
        t.add("score: a truncated weights file is refused naming it", () -> {
            Path out = t.dir().resolve("t");
            run(cs, out, false, 2, false);
            Path params = Checkpoints.resolve(out).resolve("base.params");
            byte[] b = Files.readAllBytes(params);
            Files.write(params, java.util.Arrays.copyOf(b, b.length / 2));
            InputException e = assertThrows(InputException.class, () -> ScoreJob.run(out, Score.MSP,
                    Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), t.dir().resolve("s"),
                    Progress.NONE));
            assertTrue(e.getMessage().startsWith(params.toString()), e.getMessage());
        });
        return t.stream();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
