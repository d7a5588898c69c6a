package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.scores.Npy;
import io.roadneg.finetune.data.FolderNegatives;
import io.roadneg.finetune.model.Checkpoints;
import io.roadneg.finetune.score.Score;
import io.roadneg.finetune.score.ScoreJob;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.finetune.train.Trainer;
import io.roadneg.finetune.train.Validation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training runs on the sample data: logs, checkpoints, exact resume, divergence, scoring, bad input. */
class TrainerTest {
    @TempDir
    static Path dir;
    static Path sample;

    @BeforeAll
    static void makeSample() {
        sample = dir.resolve("sd");
        SampleData.generate(SampleDataOptions.small(sample, 5), Progress.NONE);
    }

    static TrainConfig config(String recipe, Map<String, String> extra) {
        Map<String, String> ov = new java.util.LinkedHashMap<>(Map.of("data.batch", "2", "data.crop", "[64, 128]",
                "train.epochs", "2", "train.stepsPerEpoch", "2", "train.logEvery", "1", "train.validate", "",
                "model.ladder.width", "8", "model.ladder.decoder", "16"));
        ov.putAll(extra);
        return Recipes.load(recipe, "sample-cpu", null, ov);
    }

    static Trainer.Result run(TrainConfig c, Path out, Path init, boolean resume, long maxSteps,
            io.roadneg.finetune.data.NegativeSource neg, Validation val) throws Exception {
        return Trainer.run(new Trainer.Options(c, Configs.toYaml(c), out, sample.resolve("cityscapes"), "train", init,
                neg, val, 7, resume, maxSteps, Progress.NONE, new PrintWriter(new StringWriter())));
    }

    static List<Double> losses(Path out) throws Exception {
        List<Double> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("train.jsonl"))) {
            l.add(new ObjectMapper().readTree(line).get("loss").asDouble());
        }
        return l;
    }

    @Test
    void resumeContinuesExactlyAndLogsEveryTerm() throws Exception {
        TrainConfig c = config("base", Map.of());
        Path full = dir.resolve("full");
        Trainer.Result r = run(c, full, null, false, 0, null, null);
        assertEquals(4, r.steps());
        List<Double> all = losses(full);
        assertEquals(4, all.size());
        assertTrue(all.get(3) < all.get(0), "loss falls: " + all);

        Path half = dir.resolve("half");
        run(c, half, null, false, 2, null, null);
        assertThrows(InputException.class, () -> run(c, half, null, false, 0, null, null),
                "a second run into the same folder is refused without --resume");
        // a kill after the checkpoint of step 2 but after step 3 was logged: the resume drops that line
        Files.writeString(half.resolve("train.jsonl"), "{\"step\":3,\"loss\":9.0}\n",
                java.nio.file.StandardOpenOption.APPEND);
        run(c, half, null, true, 0, null, null);
        List<Double> resumed = losses(half);
        assertEquals(all, resumed, "the resumed run gives the same losses, step for step");
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(full.resolve("train.jsonl")).get(0));
        assertTrue(first.get("terms").has("ce"));
        assertTrue(Checkpoints.isCheckpoint(Checkpoints.resolve(full)));
        assertEquals("step-00000004", Files.readString(full.resolve("checkpoints/latest")));
        assertEquals(1, Files.list(full.resolve("checkpoints")).filter(p -> p.getFileName().toString()
                .startsWith("step-")).count(), "older checkpoints are pruned");
    }

    @Test
    void finetunesWithEachLossFromABaseAndScores() throws Exception {
        Path base = dir.resolve("base-for-ft");
        run(config("base", Map.of()), base, null, false, 0, null, null);
        Path pasted = dir.resolve("pasted");
        makePastedFolder(pasted);
        for (String loss : List.of("densehybrid", "rpl", "pebal", "metaood")) {
            TrainConfig c = config(loss, Map.of("data.negatives.source", "dir", "data.negatives.dir",
                    pasted.toString(), "train.epochs", "1"));
            Path out = dir.resolve("ft-" + loss);
            Trainer.Result r = run(c, out, base, false, 0, new FolderNegatives(pasted, "train"),
                    new Validation(List.of(), Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"),
                            loss.equals("rpl") ? Score.RPL : Score.ENERGY));
            assertNull(r.stopReason(), loss);
            assertEquals(1, r.validations().size());
            assertTrue(r.validations().get(0).ap() > 0, loss + " AP");
            JsonNode line = new ObjectMapper().readTree(Files.readAllLines(out.resolve("train.jsonl")).get(0));
            assertTrue(line.get("terms").size() >= 2, loss + " logs its terms: " + line);
        }
        Path scores = dir.resolve("scores-dh");
        ScoreJob.Result s = ScoreJob.run(dir.resolve("ft-densehybrid"), Score.DENSEHYBRID,
                Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), scores, Progress.NONE);
        assertTrue(s.frames() > 0 && s.written() == s.frames());
        var first = Benchmark.ROAD_ANOMALY_MASKS.frames(sample.resolve("road_anomaly")).get(0);
        var map = Npy.read(scores.resolve(first.id() + ".npy"));
        assertTrue(map.width() > 0);
        // frames scored 4 to a forward pass (the sample frames share one size) give the maps one at a time gives
        ScoreJob.Result batched = ScoreJob.run(dir.resolve("ft-densehybrid"), Score.DENSEHYBRID,
                Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), dir.resolve("scores-dh-b4"),
                Progress.NONE, ai.djl.engine.Engine.getInstance().defaultDevice(), 4);
        assertEquals(s.frames(), batched.written());
        for (var f : Benchmark.ROAD_ANOMALY_MASKS.frames(sample.resolve("road_anomaly"))) {
            float[] one = Npy.read(scores.resolve(f.id() + ".npy")).values();
            float[] four = Npy.read(dir.resolve("scores-dh-b4").resolve(f.id() + ".npy")).values();
            assertEquals(one.length, four.length);
            for (int i = 0; i < one.length; i++) {
                assertEquals(one[i], four[i], 1e-4 * Math.max(1, Math.abs(one[i])), f.id() + " pixel " + i);
            }
        }
        // on the CPU a batch is sized against the memory measured on the first frame: 500 MB a frame and 600 MB
        // available hold one frame at a time, said in one line; the maps are then those of one frame at a time
        List<String> notes = new ArrayList<>();
        io.roadneg.datasets.io.MemoryProbe tight = new io.roadneg.datasets.io.MemoryProbe() {
            @Override
            public long availableBytes() {
                return 600L << 20;
            }

            @Override
            public boolean resetPeak() {
                return true;
            }

            @Override
            public long peakResidentBytes() {
                return 1500L << 20;
            }

            @Override
            public long residentBytes() {
                return 1000L << 20;
            }
        };
        Path capped = dir.resolve("scores-dh-capped");
        ScoreJob.run(dir.resolve("ft-densehybrid"), Score.DENSEHYBRID, Benchmark.ROAD_ANOMALY_MASKS,
                sample.resolve("road_anomaly"), capped, Progress.NONE, ai.djl.Device.cpu(), 64, notes::add, tight);
        assertEquals(List.of("--batch 64 on the CPU: one frame took 500 MB at its peak and 0.6 GB are available, so "
                + "batches of 1 (on the CPU a batch is no faster than frames one at a time)"), notes);
        for (var f : Benchmark.ROAD_ANOMALY_MASKS.frames(sample.resolve("road_anomaly"))) {
            assertArrayEquals(Files.readAllBytes(scores.resolve(f.id() + ".npy")),
                    Files.readAllBytes(capped.resolve(f.id() + ".npy")), f.id());
        }
        // a probe that can reset the peak but not read the resident size: no sizing, every frame scored once
        io.roadneg.datasets.io.MemoryProbe blind = new io.roadneg.datasets.io.MemoryProbe() {
            @Override
            public long availableBytes() {
                return -1;
            }

            @Override
            public boolean resetPeak() {
                return true;
            }

            @Override
            public long peakResidentBytes() {
                return -1;
            }

            @Override
            public long residentBytes() {
                return -1;
            }
        };
        List<String> none = new ArrayList<>();
        ScoreJob.Result unsized = ScoreJob.run(dir.resolve("ft-densehybrid"), Score.DENSEHYBRID,
                Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), dir.resolve("scores-dh-blind"),
                Progress.NONE, ai.djl.Device.cpu(), 4, none::add, blind);
        assertEquals(s.frames(), unsized.written());
        assertEquals(List.of(), none);
        InputException e = assertThrows(InputException.class, () -> ScoreJob.run(base, Score.DENSEHYBRID,
                Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), dir.resolve("x"), Progress.NONE));
        assertTrue(e.getMessage().contains("dout"), e.getMessage());
        // the same model resumes into its folder; another model's maps are not taken for its own
        ScoreJob.Result again = ScoreJob.run(dir.resolve("ft-densehybrid"), Score.DENSEHYBRID,
                Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), scores, Progress.NONE);
        assertEquals(s.frames(), again.kept());
        InputException other = assertThrows(InputException.class, () -> ScoreJob.run(dir.resolve("ft-pebal"),
                Score.ENERGY, Benchmark.ROAD_ANOMALY_MASKS, sample.resolve("road_anomaly"), scores, Progress.NONE));
        assertTrue(other.getMessage().contains("modelSha256") && other.getMessage().contains("score.json"),
                other.getMessage());
    }

    /** A Cityscapes tree with pasted (254) pixels, as gen paste writes it. */
    static void makePastedFolder(Path out) throws Exception {
        var ds = io.roadneg.datasets.cityscapes.CityscapesDataset.open(sample.resolve("cityscapes"));
        for (var f : ds.labelledFrames("train").subList(0, 3)) {
            var img = io.roadneg.datasets.image.Images.readRgb(f.imagePath());
            var lab = f.trainIds().copy();
            for (int y = 40; y < 90; y++) {
                for (int x = 100; x < 180; x++) {
                    lab.set(x, y, 254);
                    img.setRgb(x, y, 0xff00ff);
                }
            }
            Path i = out.resolve("leftImg8bit/train").resolve(f.id().city()).resolve(f.id().stem() + "_leftImg8bit.png");
            Path g = out.resolve("gtFine/train").resolve(f.id().city()).resolve(f.id().stem()
                    + "_gtFine_labelTrainIds.png");
            io.roadneg.datasets.image.Images.writePng(i, img, 1, Map.of());
            io.roadneg.datasets.image.Images.writePng(g, lab, 1, Map.of());
        }
    }

    @Test
    void finetunesATorchScriptExportAndScoresFromItsCheckpoint() throws Exception {
        Path ts = TorchScriptBaseTest.fixture("tiny-segmenter");
        Path out = dir.resolve("ts-dh");
        Trainer.Result r = run(config("densehybrid", Map.of("data.negatives.source", "none", "model.type",
                "torchscript", "train.epochs", "1")), out, ts, false, 0, null, null);
        assertNull(r.stopReason());
        List<Double> l = losses(out);
        assertEquals(2, l.size());
        var spec = Checkpoints.readSpec(Checkpoints.resolve(out));
        assertEquals("torchscript", spec.type());
        assertTrue(spec.heads().contains("dout"));
        ScoreJob.Result s = ScoreJob.run(out, Score.DENSEHYBRID, Benchmark.ROAD_ANOMALY_MASKS,
                sample.resolve("road_anomaly"), dir.resolve("ts-scores"), Progress.NONE);
        assertEquals(s.frames(), s.written());
        Path rpl = dir.resolve("ts-rpl");
        Trainer.Result rr = run(config("rpl", Map.of("data.negatives.source", "none", "model.type", "torchscript",
                "train.epochs", "1")), rpl, ts, false, 0, null, null);
        assertNull(rr.stopReason());
    }

    @Test
    void nonFiniteLossStopsTheRunKeepingTheLastCheckpoint() throws Exception {
        Path base = dir.resolve("nan-base");
        run(config("base", Map.of()), base, null, false, 0, null, null);
        Path ck = Checkpoints.resolve(base);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(ck.resolve("model.json").toFile());
        ArrayNode std = (ArrayNode) root.get("spec").get("std");
        std.removeAll();
        std.add(0.0).add(0.0).add(0.0);
        Files.write(ck.resolve("model.json"), new ObjectMapper().writeValueAsBytes(root));
        Path out = dir.resolve("nan-ft");
        Trainer.Result r = run(config("metaood", Map.of("data.negatives.source", "none")), out, base, false, 0, null,
                null);
        assertTrue(r.diverged());
        assertTrue(r.stopReason().contains("non-finite"), r.stopReason());
        assertTrue(Files.readString(out.resolve("train.jsonl")).contains("diverged"));
    }

    @Test
    void badInputFailsBeforeTraining() throws Exception {
        Path base = dir.resolve("bad-base");
        run(config("base", Map.of()), base, null, false, 0, null, null);
        InputException classes = assertThrows(InputException.class, () -> run(config("densehybrid",
                Map.of("model.classes", "5", "data.negatives.source", "none")), dir.resolve("b1"), base, false, 0,
                null, null));
        assertTrue(classes.getMessage().contains("class count"), classes.getMessage());
        InputException arch = assertThrows(InputException.class, () -> run(config("densehybrid",
                Map.of("model.ladder.width", "12", "data.negatives.source", "none")), dir.resolve("b2"), base, false,
                0, null, null));
        assertTrue(arch.getMessage().contains("architecture"), arch.getMessage());
        InputException split = assertThrows(InputException.class, () -> Trainer.run(new Trainer.Options(
                config("base", Map.of()), "", dir.resolve("b3"), sample.resolve("cityscapes"), "test", null, null,
                null, 0, false, 0, Progress.NONE, new PrintWriter(new StringWriter()))));
        assertTrue(split.getMessage().contains("test"), split.getMessage());
        InputException rpl = assertThrows(InputException.class, () -> run(config("rpl",
                Map.of("data.negatives.source", "none")), dir.resolve("b4"), null, false, 0, null, null));
        assertTrue(rpl.getMessage().contains("--model"), rpl.getMessage());
        InputException one = assertThrows(InputException.class, () -> run(config("rpl",
                Map.of("data.negatives.source", "none", "data.batch", "1")), dir.resolve("b5"), base, false, 0, null,
                null));
        assertTrue(one.getMessage().contains("data.batch"), one.getMessage());
        assertTrue(!Files.exists(dir.resolve("b5").resolve("train.jsonl")), "nothing trained");
    }

    /** RPL with negatives pasted on the fly: its batches carry raw outlier views and the contrast term sees them. */
    @Test
    void rplFinetunesWithRawOutlierViews() throws Exception {
        Path base = dir.resolve("base-for-rpl");
        run(config("base", Map.of()), base, null, false, 0, null, null);
        Path coco = sample.resolve("coco");
        io.roadneg.datasets.coco.MetaOodPreparer.run(io.roadneg.datasets.coco.MetaOodPreparer.Options.defaults(coco,
                "train", coco), Progress.NONE);
        io.roadneg.generators.PasteConfig pc = io.roadneg.generators.Presets.load("rpl", null, Map.of());
        var neg = new io.roadneg.finetune.data.PastedNegatives(pc, io.roadneg.generators.sources.CocoSource.open(coco, coco,
                (io.roadneg.generators.sources.CocoSourceConfig) pc.source()));
        Path out = dir.resolve("rpl-raw");
        Trainer.Result r = run(config("rpl", Map.of("train.epochs", "3")), out, base, false, 0, neg, null);
        assertNull(r.stopReason());
        boolean contrasted = false;
        for (String line : Files.readAllLines(out.resolve("train.jsonl"))) {
            contrasted |= new ObjectMapper().readTree(line).get("terms").get("contrast").asDouble() > 0;
        }
        assertTrue(contrasted, "the contrast term ran on a batch with negatives");
    }

    @Test
    void everyRecipeAndProfileParses() {
        for (String r : Recipes.NAMES) {
            for (String p : Recipes.PROFILES) {
                TrainConfig c = Recipes.load(r, p, null, Map.of());
                assertEquals(r, c.name());
            }
        }
        assertEquals(0.03, ((io.roadneg.finetune.loss.LossConfig.DenseHybrid) Recipes.load("densehybrid",
                "reference", null, Map.of()).loss()).beta());
        assertEquals(1e-6, Recipes.load("densehybrid", "reference", null, Map.of()).optimizer().lr());
        InputException e = assertThrows(InputException.class, () -> Recipes.load("pebal", "reference", null,
                Map.of("loss.mIn", "-1", "loss.mOut", "-6")));
        assertTrue(e.getMessage().contains("mIn"), e.getMessage());
        // the ce control keeps its loss and has no negatives; the sample profile keeps each recipe's mix
        TrainConfig ce = Recipes.load("ce", "sample-cpu", null, Map.of());
        assertTrue(ce.loss() instanceof io.roadneg.finetune.loss.LossConfig.Ce, ce.loss().toString());
        assertEquals("none", ce.data().negatives().source());
        assertEquals(Recipes.load("pebal", "sample-cpu", null, Map.of()).train().epochs(), ce.train().epochs());
        assertEquals(0.1, Recipes.load("metaood", "sample-cpu", null, Map.of()).data().negatives().mix());
        assertEquals(1.0, Recipes.load("densehybrid", "sample-cpu", null, Map.of()).data().negatives().mix());
        io.roadneg.finetune.loss.LossConfig.Pebal pebal = (io.roadneg.finetune.loss.LossConfig.Pebal) Recipes.load(
                "pebal", "reference", null, Map.of()).loss();
        assertEquals(0.1, pebal.oodReg());
        assertEquals(5e-4, pebal.sparsity());
        assertEquals(3e-6, pebal.smooth());
        // RPL's energy anchor is off unless asked for; the paste geometry can be overridden for on-the-fly negatives
        TrainConfig rpl = Recipes.load("rpl", "sample-cpu", null, Map.of());
        assertEquals(0.0, ((io.roadneg.finetune.loss.LossConfig.Rpl) rpl.loss()).energyAnchor());
        assertNull(rpl.data().negatives().referenceWidth());
        assertEquals(2048, Recipes.pasteConfig(rpl.data().negatives()).placement().referenceWidth());
        TrainConfig absolute = Recipes.load("rpl", "sample-cpu", null, Map.of("data.negatives.referenceWidth", "0"));
        assertEquals(0, absolute.data().negatives().referenceWidth());
        assertEquals(0, Recipes.pasteConfig(absolute.data().negatives()).placement().referenceWidth());
        InputException source = assertThrows(InputException.class, () -> Recipes.pasteConfig(Recipes.load("rpl",
                "sample-cpu", null, Map.of("data.negatives.preset", "densehybrid-ade20k")).data().negatives()));
        assertTrue(source.getMessage().contains("data.negatives.preset"), source.getMessage());
        InputException width = assertThrows(InputException.class, () -> Recipes.load("rpl", "sample-cpu", null,
                Map.of("data.negatives.referenceWidth", "-4")));
        assertTrue(width.getMessage().contains("referenceWidth") && width.getMessage().contains("-4"),
                width.getMessage());
    }
}
