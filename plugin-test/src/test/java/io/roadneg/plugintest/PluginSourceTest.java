package io.roadneg.plugintest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.cli.Gen;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.generators.OutlierSources;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.Presets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A source that lives only in this module (provider, config record, preset, services entry) is usable from the
 * unchanged {@code gen paste}, {@code gen finetune} and {@code gen doctor}: nothing in cli/ or finetune/ names it.
 */
class PluginSourceTest {
    @TempDir
    static Path dir;
    static Path sd;

    @BeforeAll
    static void sample() {
        sd = dir.resolve("sd");
        SampleData.generate(SampleDataOptions.small(sd, 4), Progress.NONE);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run gen(String... args) {
        CommandLine cl = Gen.commandLine();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        return new Run(code, o.toString(), e.toString());
    }

    @Test
    void theRegistryAndThePresetsKnowIt() {
        assertEquals(List.of("ade20k", "checker", "coco", "flow", "patches"), OutlierSources.types());
        assertEquals("checker", Presets.defaultFor("checker"));
        PasteConfig c = Presets.load("checker", null, Map.of("source.items", "5"));
        assertEquals(new CheckerSourceConfig(5, List.of(24.0, 48.0)), c.source());
        assertEquals("checker", Presets.sourceType(c));
        Run help = gen("paste", "--help");
        assertTrue(help.out.contains("--checker-dir")
                && help.out.replaceAll("\\s+", " ").contains("ade20k, checker, coco, flow, patches"),
                help.out);
    }

    @Test
    void genPasteUsesItThroughTheUnchangedCommandLine() throws Exception {
        Path out = dir.resolve("paste");
        Run r = gen("paste", "-q", "--src", "checker", "--count", "5", "--sample-data", sd.toString(), "--out",
                out.toString());
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("recipe checker, source checker (12 items)"), r.out);
        assertTrue(r.out.contains("made 5, already done 0, skipped 0 of 5 outputs"), r.out);
        ObjectMapper json = new ObjectMapper();
        int withObjects = 0;
        for (String line : Files.readAllLines(out.resolve("manifest.jsonl"))) {
            for (JsonNode p : json.readTree(line).get("plan").get("placements")) {
                assertTrue(p.get("sourceItem").asText().startsWith("checker:"), line);
                withObjects++;
            }
        }
        assertTrue(withObjects > 0, "some outputs got discs");
        assertEquals("checker", json.readTree(out.resolve("run.json").toFile()).get("source").asText());

        Path colours = dir.resolve("colours");
        Files.createDirectories(colours);
        Files.writeString(colours.resolve("colours.txt"), "255 0 0\n0 255 0\n");
        Run withRoot = gen("paste", "-q", "--src", "checker", "--count", "2", "--checker-dir", colours.toString(),
                "--sample-data", sd.toString(), "--out", dir.resolve("paste-root").toString());
        assertEquals(0, withRoot.code, withRoot.out + withRoot.err);
    }

    @Test
    void genDoctorChecksItsRoot() throws Exception {
        Path root = dir.resolve("doctor-root");
        Files.createDirectories(root);
        Run missing = gen("doctor", "--no-native", "--checker-dir", root.toString());
        assertEquals(1, missing.code, missing.out);
        assertTrue(missing.out.contains("[missing] checker: " + root + ": no colours.txt"), missing.out);
        Files.writeString(root.resolve("colours.txt"), "1 2 3\n");
        Run ok = gen("doctor", "--no-native", "--checker-dir", root.toString());
        assertEquals(0, ok.code, ok.out);
        assertTrue(ok.out.contains("[ok]      checker: " + root + " (colours.txt)"), ok.out);
    }

    @Test
    void genFinetuneTakesItAsNegatives() {
        TrainConfig c = Recipes.load("densehybrid", "sample-cpu", null, Map.of("data.negatives.source", "checker",
                "data.negatives.preset", "null"));
        assertEquals("checker", Recipes.pasteConfig(c.data().negatives()).name());

        String[] small = {"--sample-data", sd.toString(), "-q", "--set", "train.validate=", "--set",
            "data.crop=[64, 128]", "--set", "data.batch=2", "--max-steps", "1"};
        Path base = dir.resolve("base");
        Run t = gen(concat(new String[] {"train", "--out", base.toString()}, small));
        assertEquals(0, t.code, t.out + t.err);
        Run f = gen(concat(new String[] {"finetune", "--loss", "densehybrid", "--negatives", "checker", "--model",
            base.toString(), "--out", dir.resolve("ft").toString()}, small));
        assertEquals(0, f.code, f.out + f.err);
        assertTrue(f.out.contains("done: 1 of"), f.out);
    }

    /**
     * A plugged-in source with its own root in a gen ablate grid, as a flow source ({@code flow}, root
     * {@code --flow RUN}) will be: by name in {@code sources}, alone or in a mixture, its root in
     * {@code sourceRoots}, passed to every cell's command lines as the root's own option.
     */
    @Test
    void genAblateTakesItWithItsRoot() throws Exception {
        String[] small = {"--sample-data", sd.toString(), "-q", "--set", "train.validate=", "--set",
            "data.crop=[64, 128]", "--set", "data.batch=2", "--max-steps", "1"};
        Path base = dir.resolve("ablate-base");
        assertEquals(0, gen(concat(new String[] {"train", "--out", base.toString()}, small)).code);
        Path colours = dir.resolve("ablate-colours");
        Files.createDirectories(colours);
        Files.writeString(colours.resolve("colours.txt"), "255 0 0\n".repeat(12));
        Path grid = dir.resolve("grid.yaml");
        Files.writeString(grid, String.join("\n", "version: 1", "base: ablate-base", "sampleData: sd",
                "losses: [densehybrid]", "sources: [none, checker, \"checker:0.5+patches:0.5\"]", "seeds: [0]",
                "set: {train.validate: \"\", data.crop: \"[64, 128]\", data.batch: 2, train.epochs: 1}",
                "benchmarks: [road-anomaly-masks]", "scores: [densehybrid]", "sourceRoots: {checker: ablate-colours}",
                ""));
        Run plan = gen("ablate", "--grid", grid.toString(), "--out", dir.resolve("abl").toString(), "--plan");
        assertEquals(0, plan.code, plan.out + plan.err);
        List<String> lines = plan.out.strip().lines().toList();
        assertEquals(3, lines.size(), plan.out);
        ObjectMapper json = new ObjectMapper();
        JsonNode cell = json.readTree(lines.get(1));
        assertEquals("densehybrid-checker-s0", cell.get("cell").asText());
        List<String> sample = new java.util.ArrayList<>();
        cell.get("commands").get(0).forEach(a -> sample.add(a.asText()));
        int at = sample.indexOf("--checker-dir");
        assertTrue(at > 0 && sample.get(at + 1).equals(colours.toString()), sample.toString());
        Run r = gen(sample.subList(1, sample.size()).toArray(new String[0]));
        assertEquals(0, r.code, r.out + r.err);
        JsonNode neg = json.readTree(Path.of(cell.get("dir").asText()).resolve("negatives/negatives.json").toFile());
        assertEquals(16, neg.get("draws").size());
        for (JsonNode d : neg.get("draws")) {
            assertTrue(d.get("pasted_from").asText().startsWith("checker:"), d.toString());
            assertTrue(d.get("rgb_sum").get(0).asDouble() > 2 * d.get("rgb_sum").get(1).asDouble(),
                    "red discs from the root's colours.txt: " + d);
        }
        Files.writeString(grid, Files.readString(grid).replace("sourceRoots: {checker: ablate-colours}",
                "sourceRoots: {lava: x}"));
        Run bad = gen("ablate", "--grid", grid.toString(), "--out", dir.resolve("abl").toString(), "--plan");
        assertEquals(2, bad.code, bad.out + bad.err);
        assertTrue(bad.err.contains("sourceRoots") && bad.err.contains("lava") && bad.err.contains("checker"),
                bad.err);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
