package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.io.Sha256;
import io.roadneg.generators.Presets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same command run in two separate JVMs writes the same bytes: {@code gen sample-data} (also pinned by a golden
 * SHA-256 list, so a change of bytes is a visible decision) and {@code gen paste} with every preset. In-process
 * tests cannot see this: a {@code Map.of} / {@code Map.copyOf} iteration order is fixed within a JVM and changes from
 * one JVM to the next.
 */
class CrossProcessBytesTest {
    /** The golden list: {@code sha256sum} lines of {@code gen sample-data --seed 3 --scale small}, sorted by path. */
    static final Path GOLDEN = Path.of(System.getProperty("roadneg.root", ".."),
            "datasets/src/test/resources/golden/sample-data-seed3-small.sha256");

    @TempDir
    Path dir;

    /** Runs {@code gen ARGS} in a new JVM on this test's class path; returns its output, fails on a non-zero exit. */
    static String gen(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                Gen.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("gen " + String.join(" ", args) + " did not finish");
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "gen " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    /** SHA-256 of every file under {@code root}, by path relative to it ({@code ./a/b}, as sha256sum prints it). */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put("./" + root.relativize(p).toString().replace('\\', '/'), Sha256.ofFile(p));
                }
            }
        }
        return m;
    }

    static void assertSameFiles(Map<String, String> expected, Map<String, String> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": the same files");
        List<String> differ = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                differ.add(k);
            }
        });
        assertTrue(differ.isEmpty(), what + ": " + differ.size() + " files differ, e.g. " + differ.stream().limit(5)
                .toList());
    }

    static Map<String, String> golden() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                m.put(line.substring(66), line.substring(0, 64));
            }
        }
        return m;
    }

    @Test
    void sampleDataInTwoJvmsAndTheGoldenList() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        gen(dir.resolve("a.log"), "sample-data", "-q", "--seed", "3", "--scale", "small", "--out", a.toString());
        gen(dir.resolve("b.log"), "sample-data", "-q", "--seed", "3", "--scale", "small", "--out", b.toString());
        Map<String, String> ha = hashes(a);
        assertSameFiles(ha, hashes(b), "gen sample-data --seed 3 in two JVMs");
        assertSameFiles(golden(), ha, "gen sample-data --seed 3 against " + GOLDEN + " (if the change of bytes is "
                + "intended, regenerate it: ./gen sample-data --seed 3 --out X; cd X; find . -type f | LC_ALL=C sort "
                + "| xargs sha256sum)");
    }

    @Test
    void everyPasteInTwoJvms() throws Exception {
        Path sd = dir.resolve("sd");
        io.roadneg.datasets.sample.SampleData.generate(io.roadneg.datasets.sample.SampleDataOptions.small(sd, 0),
                Progress.NONE);
        MetaOodPreparer.run(MetaOodPreparer.Options.defaults(sd.resolve("coco"), "train", sd.resolve("coco")),
                Progress.NONE);
        for (String preset : Presets.names()) {
            String src = Presets.sourceType(Presets.load(preset, null, Map.of()));
            List<Map<String, String>> runs = new ArrayList<>();
            for (String jvm : List.of("one", "two")) {
                Path out = dir.resolve(preset + "-" + jvm);
                List<String> args = new ArrayList<>(List.of("paste", "-q", "--src", src, "--preset", preset,
                        "--count", "4", "--threads", "2", "--seed", "5", "--sample-data", sd.toString(), "--out",
                        out.toString()));
                if (src.equals("flow")) {
                    args.addAll(List.of("--flow", tinyFlowRun(dir.resolve("flow-run")).toString()));
                }
                gen(dir.resolve(preset + "-" + jvm + ".log"), args.toArray(String[]::new));
                runs.add(hashes(out));
            }
            assertTrue(runs.get(0).keySet().stream().anyMatch(k -> k.endsWith("_gtFine_ood.png")), preset);
            assertSameFiles(runs.get(0), runs.get(1), "gen paste --preset " + preset + " in two JVMs");
        }
    }

    /** A run folder of the tiny test flow (random weights, one checkpoint), made once. */
    static Path tinyFlowRun(Path run) {
        if (!Files.isDirectory(run)) {
            io.roadneg.flows.DenseFlowConfig cfg = io.roadneg.flows.DenseFlowConfig.load(FlowCommandTest.TINY, Map.of());
            try (io.roadneg.flows.DenseFlow flow = new io.roadneg.flows.DenseFlow(cfg, 4);
                    io.roadneg.flows.Adamax opt = new io.roadneg.flows.Adamax(flow.params().parameters(), 0.9, 0.999,
                            1e-8)) {
                io.roadneg.flows.FlowRun.writeConfig(run, cfg);
                io.roadneg.flows.FlowRun.writeCheckpoint(run, 1, flow, opt,
                        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("step", 1));
            }
        }
        return run;
    }
}
