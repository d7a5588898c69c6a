package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gen ablate on the sample data: a two-cell grid planned, run, resumed, refused when changed, collected. */
class AblateCommandTest {
    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void sampleAndBase() {
        SampleData.generate(SampleDataOptions.small(dir.resolve("sd"), 2), Progress.NONE);
        GenTest.Run t = new GenTest.Run("train", "-q", "--sample-data", dir.resolve("sd").toString(), "--out",
                dir.resolve("base").toString(), "--max-steps", "2", "--set", "train.validate=", "--set",
                "data.crop=[64, 128]", "--set", "data.batch=2");
        assertEquals(0, t.code, t.out + t.err);
    }

    private static Path grid(String name, String sources, String seeds, String epochs) throws Exception {
        Path g = dir.resolve(name);
        Files.writeString(g, String.join("\n",
                "version: 1",
                "base: base",
                "sampleData: sd",
                "losses: [densehybrid]",
                "sources: " + sources,
                "seeds: " + seeds,
                "set:",
                "  train.validate: \"\"",
                "  data.crop: \"[64, 128]\"",
                "  data.batch: 2",
                "  train.epochs: " + epochs,
                "benchmarks: [road-anomaly-masks]",
                "scores: [densehybrid]", ""));
        return g;
    }

    @Test
    void planRunResumeRefuseCollect() throws Exception {
        Path g = grid("grid.yaml", "[none, patches]", "[0]", "1");
        Path out = dir.resolve("abl");

        GenTest.Run plan = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString(), "--plan");
        assertEquals(0, plan.code, plan.out + plan.err);
        List<String> lines = plan.out.strip().lines().toList();
        assertEquals(2, lines.size(), plan.out);
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("densehybrid-none-s0", first.get("cell").asText());
        assertEquals("densehybrid-patches-s0", JSON.readTree(lines.get(1)).get("cell").asText());
        JsonNode cmds = first.get("commands");
        assertEquals(3, cmds.size(), "finetune, score, eval");
        List<String> ft = JSON.convertValue(cmds.get(0), JSON.getTypeFactory().constructCollectionType(List.class,
                String.class));
        assertEquals(List.of("gen", "finetune"), ft.subList(0, 2));
        assertTrue(ft.containsAll(List.of("--negatives", "none", "--seed", "0", "train.epochs=1",
                dir.resolve("base").toString())), ft.toString());
        assertEquals(out.resolve("cells/densehybrid-none-s0/run").toString(), ft.get(ft.size() - 1));
        assertEquals("score", cmds.get(1).get(1).asText());
        assertEquals("eval", cmds.get(2).get(1).asText());
        JsonNode patchCmds = JSON.readTree(lines.get(1)).get("commands");
        assertEquals(4, patchCmds.size(), "negatives sample, finetune, score, eval");
        assertTrue(patchCmds.get(0).toString().contains("\"--sample-negatives\",\"16\""), patchCmds.toString());
        assertFalse(patchCmds.get(0).toString().contains("--resume"), patchCmds.toString());
        assertFalse(Files.exists(out), "--plan does no work");

        GenTest.Run run = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("[1/2] densehybrid-none-s0: done in "), run.out);
        assertTrue(run.out.contains("[2/2] densehybrid-patches-s0: done in "), run.out);
        Path cell = out.resolve("cells/densehybrid-patches-s0");
        assertTrue(Files.isRegularFile(cell.resolve("run/checkpoints/latest")), "an ordinary gen finetune run");
        double ap = JSON.readTree(cell.resolve("eval/road-anomaly-masks/densehybrid/metrics.json").toFile())
                .get("pixel").get("ap").asDouble();
        JsonNode rep = JSON.readTree(out.resolve("ablation.json").toFile());
        JsonNode rows = rep.get("rows");
        assertEquals(2, rows.size());
        JsonNode patches = rows.get(1);
        assertEquals("patches", patches.get("source").asText());
        assertEquals("recipe", patches.get("area").asText());
        assertEquals("-", rows.get(0).get("area").asText(), "none pastes nothing: no area control");
        JsonNode bench = patches.get("benchmarks").get("road-anomaly-masks");
        assertEquals(ap, bench.get("ap").get("values").get(0).asDouble());
        assertEquals(ap, bench.get("ap").get("mean").asDouble());
        assertTrue(bench.get("ap").get("sd").isNull(), "one seed: no deviation");
        assertEquals(ap, patches.get("benchmarks").get("mean").get("ap").get("mean").asDouble(),
                "one benchmark: its AP");
        double miou = JSON.readTree(Files.readAllLines(cell.resolve("run/validation.jsonl")).get(0)).get("miou")
                .asDouble();
        assertEquals(miou, patches.get("miou").get("values").get(0).asDouble(),
                "closed-set mIoU of the run's last validation");
        double apNone = rows.get(0).get("benchmarks").get("road-anomaly-masks").get("ap").get("mean").asDouble();
        JsonNode diff = patches.get("difference").get("road-anomaly-masks").get("ap");
        assertEquals(ap - apNone, diff.get("values").get(0).asDouble(), 1e-12, "paired with none, seed 0");
        assertEquals("none", diff.get("method").asText(), "one seed: no interval");
        assertTrue(rows.get(0).get("difference") == null, "the reference has no difference to itself");
        String md = Files.readString(out.resolve("ablation.md"));
        assertTrue(md.contains("## road-anomaly-masks")
                && md.contains("| densehybrid | patches | recipe | densehybrid | 1 |"), md);
        assertTrue(md.contains("## Paired difference to none"), md);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<td>densehybrid</td><td>patches</td><td>recipe</td>"), html);
        List<String> csv = Files.readAllLines(out.resolve("ablation.csv"));
        assertTrue(csv.contains("densehybrid,patches,recipe,densehybrid,road-anomaly-masks,ap,0," + ap + ",," + ap
                + "," + (ap - apNone) + "," + (ap - apNone) + ",,,,none,false"), String.join("\n", csv));
        JsonNode neg = JSON.readTree(cell.resolve("negatives/negatives.json").toFile());
        assertEquals(16, neg.get("draws").size(), "16 samples with negatives");
        long pasted = 0;
        for (JsonNode d : neg.get("draws")) {
            assertTrue(d.get("pasted").asLong() > 0 && d.get("objects").asInt() >= 1, d.toString());
            pasted += d.get("pasted").asLong();
        }
        JsonNode negRow = rep.get("negatives").get(0);
        assertEquals("patches", negRow.get("source").asText());
        assertEquals(neg.get("summary"), negRow.get("summary"), "one cell: its own summary");
        assertEquals((double) pasted / (16 * neg.get("draws").get(0).get("pixels").asLong()),
                negRow.get("summary").get("area_mean").asDouble(), 1e-12, "same-size frames: pooled area");
        assertTrue(md.contains("## Negatives per source") && md.contains("| densehybrid | patches | recipe | 16 (1 "
                + "cells) |"), md);
        assertTrue(Files.size(out.resolve("plots/negatives-densehybrid-patches-recipe.png")) > 0);
        assertTrue(html.contains("plots/negatives-densehybrid-patches-recipe.png"), html);
        for (String plot : List.of("bars-densehybrid-densehybrid", "pr-road-anomaly-masks-densehybrid-densehybrid")) {
            assertTrue(Files.size(out.resolve("plots").resolve(plot + ".png")) > 0, plot);
            assertTrue(Files.readString(out.resolve("plots").resolve(plot + ".svg")).contains("<svg"), plot);
            assertTrue(html.contains("plots/" + plot + ".svg"), plot);
        }
        for (String line : mdTableLines(md)) {
            String cells = line.substring(2, line.length() - 2).replace(" | ", "</td><td>");
            assertTrue(html.contains("<td>" + cells.replace("&", "&amp;") + "</td>"), "html holds md row " + line);
        }

        GenTest.Run again = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString());
        assertEquals(2, again.code);
        assertTrue(again.err.contains("--resume"), again.err);

        byte[] before = Files.readAllBytes(out.resolve("ablation.md"));
        GenTest.Run resumed = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString(), "--resume");
        assertEquals(0, resumed.code, resumed.out + resumed.err);
        assertTrue(resumed.out.contains("[1/2] densehybrid-none-s0: finished before, skipped"), resumed.out);
        assertEquals(new String(before), Files.readString(out.resolve("ablation.md")));

        Files.delete(out.resolve("ablation.md"));
        GenTest.Run collect = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString(),
                "--collect");
        assertEquals(0, collect.code, collect.out + collect.err);
        assertEquals(new String(before), Files.readString(out.resolve("ablation.md")));

        Path changed = grid("changed.yaml", "[none, patches]", "[0]", "2");
        GenTest.Run refused = new GenTest.Run("ablate", "--grid", changed.toString(), "--out", out.toString(),
                "--resume");
        assertEquals(2, refused.code, refused.out + refused.err);
        assertTrue(refused.err.contains("densehybrid-none-s0") && refused.err.contains("set"), refused.err);
        assertEquals(1, refused.err.strip().lines().count(), refused.err);
    }

    /** The body rows of every Markdown table (not the header separators). */
    static List<String> mdTableLines(String md) {
        return md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| loss |") && !l.startsWith("| cell |"))
                .toList();
    }

    @Test
    void aFailedCellIsReportedWithItsReasonAndTheRestGoOn() throws Exception {
        Path g = grid("fail.yaml", "[none]", "[0]", "1");
        Files.writeString(g, Files.readString(g).replace("losses: [densehybrid]", "losses: [ce, densehybrid]"));
        Path out = dir.resolve("fail-out");
        GenTest.Run r = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString());
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.out.contains("[1/2] ce-none-s0: FAILED (score road-anomaly-masks densehybrid exited with 2"),
                r.out);
        assertTrue(r.out.contains("[2/2] densehybrid-none-s0: done in "), r.out);
        String md = Files.readString(out.resolve("ablation.md"));
        assertTrue(md.contains("## Failed cells") && md.contains("| ce-none-s0 | score road-anomaly-masks") && md
                .contains("dout"), md);
        assertEquals("ce-none-s0", JSON.readTree(out.resolve("ablation.json").toFile()).get("failed").get(0)
                .get("cell").asText());
    }

    /** The plan's JSON lines of grid {@code g} for output folder {@code out}. */
    private static List<String> planLines(Path g, String out) {
        GenTest.Run plan = new GenTest.Run("ablate", "--grid", g.toString(), "--out", dir.resolve(out).toString(),
                "--plan");
        assertEquals(0, plan.code, plan.out + plan.err);
        return plan.out.strip().lines().toList();
    }

    /** Runs a planned cell's first command line (its negatives sample) and returns its negatives.json. */
    private static JsonNode negativesOf(JsonNode cell) throws Exception {
        List<String> args = new java.util.ArrayList<>();
        cell.get("commands").get(0).forEach(a -> args.add(a.asText()));
        assertTrue(args.contains("--sample-negatives"), args.toString());
        GenTest.Run r = new GenTest.Run(args.subList(1, args.size()).toArray(new String[0]));
        assertEquals(0, r.code, r.out + r.err);
        return JSON.readTree(Path.of(cell.get("dir").asText()).resolve("negatives/negatives.json").toFile());
    }

    @Test
    void recipeSourceKeepsTheLossDefaultNegatives() throws Exception {
        List<String> lines = planLines(grid("recipe.yaml", "[recipe]", "[3, 1]", "1"), "r");
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("densehybrid-recipe-s3", JSON.readTree(lines.get(0)).get("cell").asText(), "grid order");
        assertEquals("densehybrid-recipe-s1", JSON.readTree(lines.get(1)).get("cell").asText(), "grid order");
        assertFalse(lines.get(0).contains("--negatives"), lines.get(0));

        Path byLoss = grid("by-loss.yaml", "[recipe]", "[0]", "1");
        Files.writeString(byLoss, Files.readString(byLoss).replace("losses: [densehybrid]", "losses: [ce, densehybrid]")
                + "scoresByLoss: {ce: [msp, energy]}\n");
        List<String> two = planLines(byLoss, "by-loss");
        assertEquals(List.of("finetune", "finetune", "score", "eval", "score", "eval"), commandNames(two.get(0)),
                "ce: negatives sample, fine-tune, then msp and energy");
        assertTrue(two.get(0).contains("\"--score\",\"msp\"") && two.get(0).contains("\"--score\",\"energy\"")
                && !two.get(0).contains("\"--score\",\"densehybrid\""), two.get(0));
        assertTrue(two.get(1).contains("\"--score\",\"densehybrid\""), "the others: scores");
    }

    private static List<String> commandNames(String planLine) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        JSON.readTree(planLine).get("commands").forEach(c -> names.add(c.get(1).asText()));
        return names;
    }

    @Test
    void jobsRunCellsInParallelProcessesWithTheSameResults() throws Exception {
        Path g = grid("jobs.yaml", "[none, patches]", "[4]", "1");
        Path one = dir.resolve("jobs-1");
        Path two = dir.resolve("jobs-2");
        // libtorch's results depend on its thread count in the last bits: the same count per cell, whatever --jobs
        GenTest.Run r1 = new GenTest.Run("ablate", "--grid", g.toString(), "--out", one.toString(), "--threads", "1");
        assertEquals(0, r1.code, r1.out + r1.err);
        GenTest.Run r2 = new GenTest.Run("ablate", "--grid", g.toString(), "--out", two.toString(), "--jobs", "2");
        assertEquals(0, r2.code, r2.out + r2.err);
        assertTrue(r2.out.contains("2 cells to run, 2 at a time, 1 PyTorch threads each"), r2.out);
        assertTrue(r2.out.contains("densehybrid-none-s4: done in ") && r2.out.contains("densehybrid-patches-s4: done "
                + "in ") && r2.out.contains("1 of 2 left, about "), r2.out);
        assertTrue(Files.readString(two.resolve("cells/densehybrid-patches-s4/process.log")).contains("done"),
                "the cell ran in its own process");
        for (String f : List.of("ablation.md", "ablation.csv", "ablation.json")) {
            assertEquals(Files.readString(one.resolve(f)).replace(one.toString(), "OUT"),
                    Files.readString(two.resolve(f)).replace(two.toString(), "OUT"), f + " the same with --jobs 2");
        }
        assertEquals(Files.readString(one.resolve("cells/densehybrid-patches-s4/negatives/negatives.json")),
                Files.readString(two.resolve("cells/densehybrid-patches-s4/negatives/negatives.json")));
    }

    @Test
    void moreCellsAtATimeThanCoresAreSaidInOneLine() {
        assertEquals(null, Ablation.coresNote(2, 1, 2));
        assertEquals(null, Ablation.coresNote(4, 4, 16));
        assertEquals("note: 8 cells x 1 thread on 2 cores: past the cores more cells at a time add memory (each its "
                + "own JVM and libtorch), not speed", Ablation.coresNote(8, 1, 2));
        assertEquals("note: 2 cells x 2 threads on 2 cores: past the cores more cells at a time add memory (each its "
                + "own JVM and libtorch), not speed", Ablation.coresNote(2, 2, 2));
    }

    @Test
    void aCellProcessStopsWhenItsParentIsGone() throws Exception {
        Path g = grid("orphan.yaml", "[patches]", "[0]", "1");
        Path out = dir.resolve("orphan");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), Gen.class.getName(), "ablate", "--grid", g.toString(), "--out",
                out.toString(), "--cell", "densehybrid-patches-s0", "--exit-with-parent"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("orphan.log")
                .toFile()).start();
        p.getOutputStream().close(); // as when the parent ablation is killed: its end of the pipe closes
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "the child stopped");
        assertEquals(1, p.exitValue(), Files.readString(dir.resolve("orphan.log")));
        assertFalse(Files.exists(out.resolve("cells/densehybrid-patches-s0/done.json")), "it did not run on");
        assertFalse(Files.exists(out.resolve("cells/densehybrid-patches-s0/failed.json")), "nor fail by itself");
    }

    @Test
    void slurmScriptRunsExactlyThePlansCommands() throws Exception {
        Path g = grid("slurm.yaml", "[none, patches]", "[0, 1]", "1");
        Path out = dir.resolve("it's here");
        GenTest.Run plan = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString(), "--plan");
        GenTest.Run slurm = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString(), "--plan",
                "--format", "slurm");
        assertEquals(0, slurm.code, slurm.out + slurm.err);
        assertTrue(slurm.out.contains("#SBATCH --array=0-3\n"), slurm.out);
        Path script = dir.resolve("ablate.sbatch");
        Files.writeString(script, slurm.out);
        List<String> lines = plan.out.strip().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Path echo = dir.resolve("echo-args.sh");
            Files.writeString(echo, "#!/bin/bash\nprintf '%s\\0' gen \"$@\"; printf '\\n'\n");
            echo.toFile().setExecutable(true);
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
            pb.environment().put("SLURM_ARRAY_TASK_ID", Integer.toString(i));
            pb.environment().put("GEN", echo.toString());
            Process p = pb.start();
            String got = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), got);
            List<List<String>> cmds = got.lines().map(l -> List.of(l.split("\0"))).toList();
            List<List<String>> want = new java.util.ArrayList<>();
            JSON.readTree(lines.get(i)).get("commands").forEach(c -> {
                List<String> a = new java.util.ArrayList<>();
                c.forEach(x -> a.add(x.asText()));
                want.add(a);
            });
            assertEquals(want, cmds, "task " + i + " runs cell " + i + "'s commands, word for word");
            assertTrue(Files.isDirectory(Path.of(JSON.readTree(lines.get(i)).get("dir").asText())));
        }
    }

    @Test
    void matchedAreaCellsPasteFromOneDistributionThroughThePlanner() throws Exception {
        Path g = grid("matched.yaml", "[none, patches, ade20k]", "[0]", "1");
        Files.writeString(g, Files.readString(g) + "area: [recipe, matched]\nmatched: {area: [0.01, 0.02], objects: "
                + "[2, 2]}\n");
        List<JsonNode> cells = planLines(g, "m").stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertEquals(List.of("densehybrid-none-s0", "densehybrid-patches-s0", "densehybrid-patches-matched-s0",
                "densehybrid-ade20k-s0", "densehybrid-ade20k-matched-s0"), cells.stream().map(c -> c.get("cell")
                .asText()).toList(), "none once: it pastes nothing");
        JsonNode sample = cells.get(4).get("commands").get(0);
        assertTrue(sample.toString().contains("\"data.negatives.area=[0.01, 0.02]\",\"--set\","
                + "\"data.negatives.objects=[2, 2]\""), sample.toString());
        assertFalse(cells.get(3).toString().contains("data.negatives.area"), "recipe cells keep their geometry");
        for (int k : new int[] {2, 4}) {
            JsonNode neg = negativesOf(cells.get(k));
            assertEquals(16, neg.get("draws").size());
            for (JsonNode d : neg.get("draws")) {
                assertEquals(2, d.get("objects").asInt(), d.toString());
                double area = d.get("pasted").asDouble() / d.get("pixels").asDouble();
                // two objects of 1 % to 2 % each: at most 4 % (more only by rounding), less where they overlap or a
                // frame edge cuts one, and ADE20K's masks keep only their class pixels of the rescaled crop
                assertTrue(area <= 0.045 && area > 0.002, cells.get(k).get("cell") + ": " + d);
            }
        }
    }

    @Test
    void mixturesAndBoxPromptedMasksAreSources() throws Exception {
        List<String> lines = planLines(grid("mix.yaml", "[\"coco:0.25+patches:0.75\", \"coco:box\"]", "[0]", "1"),
                "mix");
        assertEquals("densehybrid-coco_0.25_patches_0.75-s0", JSON.readTree(lines.get(0)).get("cell").asText());
        assertEquals("densehybrid-coco_box-s0", JSON.readTree(lines.get(1)).get("cell").asText());
        java.util.Map<String, Integer> from = new java.util.TreeMap<>();
        for (String line : lines) {
            JsonNode c = JSON.readTree(line);
            JsonNode neg = negativesOf(c);
            for (JsonNode d : neg.get("draws")) {
                String recipe = d.get("pasted_from").asText().split(":")[0];
                from.merge(c.get("cell").asText() + " " + recipe, 1, Integer::sum);
            }
        }
        // 16 samples each: the mixture draws both parts (P(all 16 from one part) < 1e-2 for a quarter), box masks
        // come from COCO through the instance-mode recipe
        assertTrue(from.getOrDefault("densehybrid-coco_0.25_patches_0.75-s0 pebal", 0) > 0, from.toString());
        assertTrue(from.getOrDefault("densehybrid-coco_0.25_patches_0.75-s0 noisy-patches", 0) > 0, from.toString());
        assertEquals(16, from.get("densehybrid-coco_box-s0 pebal"), from.toString());
    }

    @Test
    void baseScoresPutTheBaseItselfBesideTheFineTunes() throws Exception {
        // the reference is recipe: the base's rows (source none) have no reference row and no paired difference
        Path g = grid("with-base.yaml", "[recipe]", "[0, 1]", "1");
        Files.writeString(g, Files.readString(g) + "baseScores: [msp]\n");
        List<String> plan = planLines(g, "with-base-plan");
        assertEquals("base-none-s0", JSON.readTree(plan.get(0)).get("cell").asText(), plan.toString());
        assertEquals(List.of("score", "eval"), commandNames(plan.get(0)), "no fine-tune for the base");
        assertTrue(plan.get(0).contains("\"--model\",\"" + dir.resolve("base")) && plan.get(0).contains("\"msp\""),
                plan.get(0));
        Path out = dir.resolve("with-base");
        GenTest.Run r = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString());
        assertEquals(0, r.code, r.out + r.err);
        JsonNode rows = JSON.readTree(out.resolve("ablation.json").toFile()).get("rows");
        JsonNode base = null;
        for (JsonNode row : rows) {
            if (row.get("loss").asText().equals("base")) {
                base = row;
            }
        }
        assertTrue(base != null && base.get("score").asText().equals("msp"), rows.toString());
        assertEquals("[0,1]", base.get("seeds").toString());
        String md = Files.readString(out.resolve("ablation.md"));
        assertTrue(md.contains("| base | none |"), md);
    }

    @Test
    void flowSourcesAreSquaresDecodedInTheLoopFrozenOrJoint() throws Exception {
        Path g = grid("flow.yaml", "[flow, \"flow:joint\"]", "[0]", "1");
        Files.writeString(g, Files.readString(g).replace("losses: [densehybrid]", "losses: [densehybrid, nflowjs]")
                + "scoresByLoss: {nflowjs: [jsd]}\nsourceRoots: {flow: flow-run}\narea: [recipe, matched]\n");
        List<String> lines = planLines(g, "flow");
        List<String> ids = new java.util.ArrayList<>();
        for (String l : lines) {
            ids.add(JSON.readTree(l).get("cell").asText());
        }
        assertEquals(List.of("densehybrid-flow-s0", "densehybrid-flow_joint-s0", "nflowjs-flow-s0",
                "nflowjs-flow_joint-s0"), ids, "one cell per loss and flow source: the area control is the paste's");
        for (String l : lines) {
            JsonNode c = JSON.readTree(l);
            assertEquals("finetune", c.get("commands").get(0).get(1).asText(), "no negatives sample: " + l);
            String ft = c.get("commands").get(0).toString();
            assertTrue(ft.contains("\"--negatives\",\"flow\"") && ft.contains("\"--flow\",\"")
                    && ft.contains("flow-run"), ft);
            assertEquals(c.get("cell").asText().contains("joint"), ft.contains("\"--joint\""), ft);
        }
        assertTrue(lines.get(3).contains("\"--score\",\"jsd\""), lines.get(3));

        Path noRun = grid("flow-no-run.yaml", "[flow]", "[0]", "1");
        GenTest.Run r = new GenTest.Run("ablate", "--grid", noRun.toString(), "--out", dir.resolve("fnr").toString());
        assertEquals(2, r.code, r.out + r.err);
        assertTrue(r.err.contains("flow-no-run.yaml") && r.err.contains("sourceRoots: {flow: RUN}"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    @Test
    void badGridsAreOneLineErrorsBeforeAnyCell() throws Exception {
        String[][] cases = {{"[none, lava]", "[0]", "1", "lava"}, {"[none]", "[]", "1", "seeds"},
            {"[none, coco:lava]", "[0]", "1", "coco:lava"}, {"[coco:0.5+lava:0.5]", "[0]", "1", "lava"},
            {"[none, none]", "[0]", "1", "twice"}, {"[none]", "[0]", "x", "epochs"}};
        for (String[] c : cases) {
            Path g = grid("bad.yaml", c[0], c[1], c[2]);
            Path out = dir.resolve("bad-out");
            GenTest.Run r = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString());
            assertEquals(2, r.code, c[3] + ": " + r.out + r.err);
            assertTrue(r.err.contains(c[3]) && r.err.contains("bad.yaml"), r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
            assertFalse(Files.exists(out), "no cell started");
        }
    }

    @Test
    void aBaseOfAnotherClassCountAndAnotherGridsCellsAreRefusedBeforeAnyCell() throws Exception {
        Path other = dir.resolve("base-5");
        Path ck = io.roadneg.finetune.model.Checkpoints.resolve(dir.resolve("base"));
        Files.createDirectories(other);
        try (var s = Files.list(ck)) {
            for (Path f : s.toList()) {
                Files.copy(f, other.resolve(f.getFileName()));
            }
        }
        Path spec = other.resolve("model.json");
        Files.writeString(spec, Files.readString(spec).replaceFirst("\"classes\"\\s*:\\s*19", "\"classes\" : 5"));
        Path g = grid("classes.yaml", "[none]", "[0]", "1");
        Files.writeString(g, Files.readString(g).replace("base: base", "base: base-5"));
        Path out = dir.resolve("classes-out");
        GenTest.Run r = new GenTest.Run("ablate", "--grid", g.toString(), "--out", out.toString());
        assertEquals(2, r.code, r.out + r.err);
        assertTrue(r.err.contains("classes.yaml") && r.err.contains("base") && r.err.contains("5"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertFalse(Files.exists(out));

        Path taken = dir.resolve("taken");
        Files.createDirectories(taken.resolve("cells/rpl-coco-s9"));
        Path g2 = grid("mine.yaml", "[none]", "[0]", "1");
        GenTest.Run r2 = new GenTest.Run("ablate", "--grid", g2.toString(), "--out", taken.toString(), "--resume");
        assertEquals(2, r2.code, r2.out + r2.err);
        assertTrue(r2.err.contains("rpl-coco-s9") && r2.err.contains("another grid"), r2.err);
        assertEquals(1, r2.err.strip().lines().count(), r2.err);
        assertFalse(Files.exists(taken.resolve("cells/densehybrid-none-s0")), "no cell started");
    }

    @Test
    void everyGridInConfigsParses() throws Exception {
        Path root = Path.of(System.getProperty("roadneg.root", ".."), "configs", "ablations");
        try (var s = Files.list(root)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertFalse(files.isEmpty());
            for (Path f : files) {
                AblationGrid g = Configs.bind(Configs.readTree(f), AblationGrid.class, f);
                assertFalse(g.sources().isEmpty(), f.toString());
                for (String loss : g.losses()) {
                    io.roadneg.finetune.train.Recipes.load(loss, g.effectiveProfile(), null, g.set()); // keys exist
                }
            }
        }
    }
}
