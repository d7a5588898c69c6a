package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.Sha256;
import io.roadneg.flows.FlowRun;
import io.roadneg.flows.ParamStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen flow train} and {@code gen flow sample} on a tiny flow and a folder of small images made here: logs,
 * checkpoints, exact resume, the non-finite guard, byte-identical samples (across counts, thread counts and
 * processes), and every refusal in one line with exit code 2 before any work.
 */
class FlowCommandTest {
    static final Path TINY = Path.of(System.getProperty("roadneg.root", ".."), "flows/src/test/resources/flows/tiny.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path images;
    static Path runA;

    /** Six 40 x 40 images of smooth gradients with a little noise; a four-step run of the tiny flow on them. */
    @BeforeAll
    static void setUp() {
        images = shared.resolve("images");
        for (int k = 0; k < 6; k++) {
            SplittableRandom r = new SplittableRandom(k);
            RgbImage img = RgbImage.blank(40, 40);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 40; x++) {
                    int v = (x * 5 + y * 3 * k + r.nextInt(8)) & 0xff;
                    img.setRgb(x, y, (v << 16) | ((255 - v) << 8) | (k * 40));
                }
            }
            Images.writePng(images.resolve("img-" + k + ".png"), img, 1, Map.of());
        }
        runA = shared.resolve("runA");
        GenTest.Run r = train(runA, 2);
        assertEquals(0, r.code, r.out + r.err);
    }

    static GenTest.Run train(Path out, int epochs, String... more) {
        List<String> a = new ArrayList<>(List.of("flow", "train", "--data", images.toString(), "--crop", "16",
                "--config", TINY.toString(), "--batch", "2", "--epochs", String.valueOf(epochs), "--steps-per-epoch",
                "2", "--validation-crops", "4", "--seed", "3", "--out", out.toString(), "-q"));
        a.addAll(List.of(more));
        return new GenTest.Run(a.toArray(String[]::new));
    }

    static List<JsonNode> lines(Path f) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    static double[] bitsPerDim(Path log) throws Exception {
        return lines(log).stream().mapToDouble(n -> n.get("bitsPerDim").asDouble()).toArray();
    }

    @Test
    void trainWritesLogsGridsAndCheckpointsThatFlowRunOpens() throws Exception {
        List<JsonNode> train = lines(runA.resolve("train.jsonl"));
        assertEquals(4, train.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, train.get(i).get("step").asInt());
            assertEquals(i / 2 + 1, train.get(i).get("epoch").asInt());
            assertTrue(Double.isFinite(train.get(i).get("bitsPerDim").asDouble()));
        }
        List<JsonNode> val = lines(runA.resolve("validation.jsonl"));
        assertEquals(2, val.size());
        assertEquals(4, val.get(1).get("step").asInt());
        // PNG's own size of the held-out crops: the same figure every epoch, and a real size (0 < bits < 8 + headers)
        double png = val.get(0).get("pngBitsPerDim").asDouble();
        assertEquals(png, val.get(1).get("pngBitsPerDim").asDouble());
        assertTrue(png > 0.5 && png < 10, "png bits/dim " + png);
        assertTrue(Files.isRegularFile(runA.resolve("samples/epoch-0001.png")));
        RgbImage grid = Images.readRgb(runA.resolve("samples/epoch-0002.png"));
        assertEquals(4 * 16 + 3 * 2, grid.width());
        assertEquals("step-4", Files.readString(runA.resolve("checkpoints/latest")).strip());
        try (FlowRun run = FlowRun.open(runA)) {
            assertEquals(4, run.step());
            assertEquals("tiny", run.config().name());
        }
    }

    @Test
    void resumeContinuesStepForStep(@TempDir Path dir) throws Exception {
        Path b = dir.resolve("runB");
        assertEquals(0, train(b, 1).code);
        GenTest.Run again = train(b, 1);
        assertEquals(2, again.code, "a second run into the same folder without --resume is refused");
        assertTrue(again.err.contains("add --resume"), again.err);
        // a resumed run must not change what the run is
        GenTest.Run other = new GenTest.Run("flow", "train", "--data", images.toString(), "--crop", "16",
                "--batch", "4", "--epochs", "2", "--steps-per-epoch", "2", "--validation-crops", "4", "--seed", "3",
                "--out", b.toString(), "--resume", "-q");
        assertEquals(2, other.code, other.out + other.err);
        assertTrue(other.err.contains("batch"), other.err);
        // a torn line at the end of the log (a killed run) is dropped and the step redone
        Files.writeString(b.resolve("train.jsonl"), Files.readString(b.resolve("train.jsonl")) + "{\"step\":3,\"bi");
        GenTest.Run r = new GenTest.Run("flow", "train", "--data", images.toString(), "--crop", "16", "--batch", "2",
                "--epochs", "2", "--steps-per-epoch", "2", "--validation-crops", "4", "--seed", "3", "--out",
                b.toString(), "--resume", "-q");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("resuming at step 2"), r.out);
        assertArrayEquals(bitsPerDim(runA.resolve("train.jsonl")), bitsPerDim(b.resolve("train.jsonl")));
        assertArrayEquals(bitsPerDim(runA.resolve("validation.jsonl")), bitsPerDim(b.resolve("validation.jsonl")));
        for (String f : List.of("flow.npz", "optimizer.npz")) {
            assertSameArrays(runA.resolve("checkpoints/step-4").resolve(f), b.resolve("checkpoints/step-4").resolve(f));
        }
    }

    /** Two .npz files hold the same arrays, value for value (the zip entries' times differ). */
    static void assertSameArrays(Path a, Path b) throws Exception {
        try (NDManager m = NDManager.newBaseManager(); InputStream ia = Files.newInputStream(a);
                InputStream ib = Files.newInputStream(b)) {
            Map<String, NDArray> x = ParamStore.readNpz(m, ia);
            Map<String, NDArray> y = ParamStore.readNpz(m, ib);
            assertEquals(x.keySet(), y.keySet());
            for (String k : x.keySet()) {
                assertTrue(x.get(k).contentEquals(y.get(k)), k + " of " + a.getFileName());
            }
        }
    }

    @Test
    void aNonFiniteLossStopsWithExitOneKeepingTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("runC");
        assertEquals(0, train(c, 1).code);
        // the weights of the newest checkpoint go bad (as a diverging step would leave them)
        try (FlowRun run = FlowRun.open(c)) {
            NDArray p = run.flow().params().get("prior_log_scale");
            float[] v = p.toFloatArray();
            v[0] = Float.NaN;
            io.roadneg.flows.ParamStore.assign(p, v);
            run.flow().params().save(c.resolve("checkpoints/step-2/flow.npz"));
        }
        GenTest.Run r = train(c, 3, "--resume");
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.out.contains("step 3: bits/dim is NaN; stopping, the last good checkpoint is checkpoints"),
                r.out);
        assertEquals("step-2", Files.readString(c.resolve("checkpoints/latest")).strip());
        assertFalse(Files.exists(c.resolve("checkpoints/step-4")));
        assertEquals(2, lines(c.resolve("train.jsonl")).size(), "no line for the failed step");
    }

    @Test
    void samplesAreByteIdenticalWhateverTheCountThreadsOrProcess(@TempDir Path dir) throws Exception {
        Path s1 = dir.resolve("s1");
        Path s2 = dir.resolve("s2");
        GenTest.Run r = new GenTest.Run("flow", "sample", "--model", runA.toString(), "--count", "3", "--size", "16",
                "--temperature", "0.7", "--seed", "5", "--out", s1.toString(), "-q");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("made 3, already there 0"), r.out);
        assertEquals(0, new GenTest.Run("flow", "sample", "--model", runA.toString(), "--count", "2", "--size", "16",
                "--temperature", "0.7", "--seed", "5", "--out", s2.toString(), "-q").code);
        for (int i = 0; i < 2; i++) {
            String f = "sample-0000" + i + ".png";
            assertEquals(Sha256.ofFile(s1.resolve(f)), Sha256.ofFile(s2.resolve(f)), f);
        }
        assertFalse(Sha256.ofFile(s1.resolve("sample-00000.png")).equals(Sha256.ofFile(s1.resolve("sample-00001.png"))));
        RgbImage one = Images.readRgb(s1.resolve("sample-00000.png"));
        assertEquals(16, one.width());
        JsonNode manifest = JSON.readTree(s1.resolve("manifest.json").toFile());
        assertEquals(3, manifest.get("samples").size());
        assertEquals(4, manifest.get("checkpointStep").asInt());
        assertTrue(manifest.get("flow").asText().contains("sha256"));
        assertTrue(Images.readPngText(s1.resolve("sample-00002.png")).get("roadneg:provenance").contains("\"item\":\"2\""));
        // a rerun with other settings into the same folder is refused
        GenTest.Run other = new GenTest.Run("flow", "sample", "--model", runA.toString(), "--count", "3", "--size",
                "16", "--temperature", "0.9", "--seed", "5", "--out", s1.toString(), "-q");
        assertEquals(2, other.code);
        // another process, one engine thread
        Path s3 = dir.resolve("s3");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), Gen.class.getName(), "flow", "sample", "--model",
                runA.toString(), "--count", "3", "--size", "16", "--temperature", "0.7", "--seed", "5", "--out",
                s3.toString(), "-q"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
                .start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log")));
        for (String f : List.of("sample-00000.png", "sample-00001.png", "sample-00002.png", "grid.png")) {
            assertEquals(Sha256.ofFile(s1.resolve(f)), Sha256.ofFile(s3.resolve(f)), f + " across processes");
        }
    }

    /** Exit 2, one line naming the option and value, nothing written. */
    private static void refused(GenTest.Run r, Path out, String... words) {
        assertEquals(2, r.code, r.out + r.err);
        String first = r.err.lines().findFirst().orElse("");
        for (String w : words) {
            assertTrue(first.contains(w), "'" + w + "' in: " + r.err);
        }
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertFalse(Files.exists(out), "nothing written before the refusal");
    }

    @Test
    void badInputIsRefusedInOneLineBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("o");
        refused(new GenTest.Run("flow", "sample", "--model", runA.toString(), "--count", "2", "--size", "20",
                "--out", out.toString()), out, "--size = 20x20", "squeezes need height and width positive multiples "
                + "of 8");
        refused(new GenTest.Run("flow", "sample", "--model", runA.toString(), "--count", "2", "--size", "100000",
                "--out", out.toString()), out, "--size = 100000x100000", "more than the 134217728 pixels an image may "
                + "have"); // it had overflowed an int inside the flow (exit 1)
        refused(new GenTest.Run("flow", "sample", "--model", runA.toString(), "--count", "2", "--size", "16",
                "--temperature", "0", "--out", out.toString()), out, "--temperature = 0.0", "must be a positive");
        refused(new GenTest.Run("flow", "sample", "--model", runA.toString(), "--count", "2", "--size", "16",
                "--temperature", "-1", "--out", out.toString()), out, "--temperature = -1.0");
        // a checkpoint of another flow configuration
        Path other = dir.resolve("other");
        Files.createDirectories(other.resolve("checkpoints"));
        Files.writeString(other.resolve("config.yaml"), Files.readString(runA.resolve("config.yaml"))
                .replace("growthRate: 2", "growthRate: 4"));
        Path cp = other.resolve("checkpoints/step-4");
        Files.createDirectories(cp);
        for (String f : List.of("flow.npz", "optimizer.npz", "state.json")) {
            Files.copy(runA.resolve("checkpoints/step-4/" + f), cp.resolve(f));
        }
        Files.writeString(other.resolve("checkpoints/latest"), "step-4\n");
        refused(new GenTest.Run("flow", "sample", "--model", other.toString(), "--count", "2", "--size", "16",
                "--out", out.toString()), out, "--model = tiny", "a checkpoint of another flow configuration");
        refused(new GenTest.Run("flow", "sample", "--model", dir.resolve("none").toString(), "--count", "2",
                "--out", out.toString()), out, "not a flow run folder");
        refused(new GenTest.Run("flow", "train", "--data", images.toString(), "--crop", "20", "--config",
                TINY.toString(), "--out", out.toString()), out, "--crop = 20x20", "squeezes");
        refused(new GenTest.Run("flow", "train", "--data", "nowhere", "--out", out.toString()), out,
                "--data = nowhere", "cityscapes, coco or an image folder");
    }

    @Test
    void flowNegativesPasteFinetuneAndDoctorThroughTheRegistry(@TempDir Path dir) throws Exception {
        Path sd = dir.resolve("sd");
        io.roadneg.datasets.sample.SampleData.generate(io.roadneg.datasets.sample.SampleDataOptions.small(sd, 0),
                io.roadneg.datasets.Progress.NONE);
        Path out = dir.resolve("paste");
        GenTest.Run missing = new GenTest.Run("paste", "--src", "flow", "--count", "2", "--sample-data", sd.toString(),
                "--out", out.toString(), "-q");
        refused(missing, out, "--flow = missing", "give --flow RUN");
        GenTest.Run p = new GenTest.Run("paste", "--src", "flow", "--flow", runA.toString(), "--count", "2",
                "--sample-data", sd.toString(), "--out", out.toString(), "-q");
        assertEquals(0, p.code, p.out + p.err);
        assertTrue(p.out.contains("recipe densehybrid-flow, source flow (100000 items)"), p.out);
        assertTrue(p.out.contains("made 2,"), p.out);
        String manifest = Files.readString(out.resolve("manifest.jsonl"));
        assertTrue(manifest.contains("flow:") && manifest.contains("\"side\""), manifest);

        String[] small = {"--sample-data", sd.toString(), "-q", "--set", "train.validate=", "--set",
            "data.crop=[64, 128]", "--set", "data.batch=2", "--max-steps", "1"};
        Path base = dir.resolve("base");
        GenTest.Run t = new GenTest.Run(concat(new String[] {"train", "--out", base.toString()}, small));
        assertEquals(0, t.code, t.out + t.err);
        GenTest.Run f = new GenTest.Run(concat(new String[] {"finetune", "--loss", "densehybrid", "--negatives", "flow",
            "--flow", runA.toString(), "--model", base.toString(), "--out", dir.resolve("ft").toString()}, small));
        assertEquals(0, f.code, f.out + f.err);
        assertTrue(f.out.contains("done: 1 of"), f.out);
        assertTrue(f.out.contains("mIoU") && !f.out.contains("NaN"), "no anomaly set to validate on, so no AP: "
                + f.out);

        GenTest.Run ok = new GenTest.Run("doctor", "--no-native", "--flow", runA.toString());
        assertTrue(ok.out.contains("[ok]      flow: " + runA + " (tiny, step-4)"), ok.out);
        GenTest.Run bad = new GenTest.Run("doctor", "--no-native", "--flow", dir.toString());
        assertTrue(bad.out.contains("[missing] flow: "), bad.out);
        assertEquals(1, bad.code);
    }

    @Test
    void anExportedFlowSamplesPastesAndPassesTheDoctor(@TempDir Path dir) throws Exception {
        Path export = Path.of(System.getProperty("roadneg.root", ".."), "flows", "src", "test", "resources", "flows",
                "export", "tiny").toAbsolutePath().normalize();
        Path out = dir.resolve("samples");
        GenTest.Run r = new GenTest.Run("flow", "sample", "--model", export.toString(), "--count", "2", "--size", "16",
                "--seed", "4", "--out", out.toString(), "-q");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("exported DenseFlow"), r.out);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("torchscript-export") && !manifest.contains("checkpointStep"), manifest);
        GenTest.Run again = new GenTest.Run("flow", "sample", "--model", export.toString(), "--count", "2", "--size",
                "16", "--seed", "4", "--out", dir.resolve("again").toString(), "-q");
        assertEquals(0, again.code, again.out + again.err);
        assertArrayEquals(Files.readAllBytes(out.resolve("sample-00001.png")),
                Files.readAllBytes(dir.resolve("again").resolve("sample-00001.png")), "same seed, same bytes");
        refused(new GenTest.Run("flow", "sample", "--model", export.toString(), "--count", "2", "--size", "18",
                "--out", dir.resolve("odd").toString()), dir.resolve("odd"), "--size", "18");

        Path sd = dir.resolve("sd");
        io.roadneg.datasets.sample.SampleData.generate(io.roadneg.datasets.sample.SampleDataOptions.small(sd, 0),
                io.roadneg.datasets.Progress.NONE);
        Path pasted = dir.resolve("paste");
        GenTest.Run p = new GenTest.Run("paste", "--src", "flow", "--flow", export.toString(), "--count", "2",
                "--sample-data", sd.toString(), "--out", pasted.toString(), "-q");
        assertEquals(0, p.code, p.out + p.err);
        assertTrue(p.out.contains("made 2,"), p.out);
        assertTrue(Files.readString(pasted.resolve("manifest.jsonl")).contains("flow:"), "provenance names the flow");

        GenTest.Run ok = new GenTest.Run("doctor", "--no-native", "--flow", export.toString());
        assertTrue(ok.out.contains("[ok]      flow: " + export + " (exported flow: "), ok.out);

        Path ft = dir.resolve("ft");
        refused(new GenTest.Run("finetune", "--loss", "densehybrid", "--negatives", "flow", "--flow", export.toString(),
                "--model", dir.resolve("no-base").toString(), "--sample-data", sd.toString(), "--out", ft.toString()),
                ft, "exported TorchScript flow", "gen paste --src flow");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
