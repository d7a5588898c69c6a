package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.hostile.CaseTable;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.scores.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * Hostile input through the command line, one row per case (part of the case table in docs/hostile-inputs.md): each
 * row checks the exit code (2 for bad input, 1 for a failed check) and that the message is one line naming the file,
 * option or field, without a stack trace unless -v.
 */
class HostileCommandLineTest {
    @TempDir
    static Path shared;
    static Path sd;

    @TempDir
    Path dir;


    @BeforeAll
    static void sample() {
        sd = shared.resolve("sd");
        SampleData.generate(SampleDataOptions.small(sd, 2), Progress.NONE);
    }

    private static GenTest.Run gen(String... args) {
        return new GenTest.Run(args);
    }

    /** Exit {@code code}, one error line holding every {@code words}, no stack trace. */
    private static void clean(GenTest.Run r, int code, String... words) {
        assertEquals(code, r.code, r.out + r.err);
        String first = r.err.lines().findFirst().orElse("");
        for (String w : words) {
            assertTrue(first.contains(w), "'" + w + "' in: " + r.err);
        }
        assertFalse(r.err.contains("\tat "), "no stack trace without -v: " + r.err);
    }

    @TestFactory
    Stream<DynamicTest> optionsAcceptedAndIgnoredAreRefused() {
        CaseTable t = new CaseTable(dir);
        Map<String, String[]> commands = new java.util.LinkedHashMap<>();
        commands.put("sample-data", new String[] {"sample-data", "--out", "o"});
        commands.put("eval", new String[] {"eval", "--dataset", "road-anomaly-masks", "--root", "r", "--scores", "s"});
        commands.put("export-smiyc", new String[] {"export-smiyc", "--dataset", "road-anomaly-masks", "--root", "r",
            "--scores", "s", "--method", "m", "--out", "o"});
        commands.put("masks", new String[] {"masks", "--images", "i", "--boxes", "b.json", "--out", "o.json"});
        commands.put("prepare coco-ood", new String[] {"prepare", "coco-ood", "--coco-root", "c", "--split", "val",
            "--out", "o"});
        commands.put("refine", new String[] {"refine", "--scores", "s", "--images", "i", "--out", "o", "--threshold",
            "0.5"});
        commands.put("score", new String[] {"score", "--model", "m", "--score", "msp", "--dataset",
            "road-anomaly-masks", "--root", "r", "--out", "o"});
        for (Map.Entry<String, String[]> c : commands.entrySet()) {
            t.add("gen " + c.getKey() + " --config missing.yaml is refused, not ignored", () -> {
                GenTest.Run r = gen(concat(c.getValue(), "--config", t.dir().resolve("missing.yaml").toString()));
                clean(r, 2, "--config", "takes no config file");
            });
            t.add("gen " + c.getKey() + " --set a.b=1 is refused, not ignored", () -> {
                GenTest.Run r = gen(concat(c.getValue(), "--set", "a.b=1"));
                clean(r, 2, "--set = a.b=1", "has no config keys");
            });
        }
        return t.stream();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> doctorFailsBrokenCocoJson() {
        CaseTable t = new CaseTable(dir);
        Map<String, byte[]> broken = new java.util.LinkedHashMap<>();
        broken.put("zero-byte", new byte[0]);
        broken.put("truncated", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"".getBytes(StandardCharsets.UTF_8));
        broken.put("an HTML error page", "<html><body>503</body></html>\n".getBytes(StandardCharsets.UTF_8));
        broken.put("whitespace only", "   \n\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> b : broken.entrySet()) {
            t.add("gen doctor: a " + b.getKey() + " COCO instances JSON is [broken], not [ok]", () -> {
                Path coco = t.dir().resolve("coco");
                Files.createDirectories(coco.resolve("val2017"));
                Files.createDirectories(coco.resolve("annotations"));
                Files.write(coco.resolve("annotations/instances_val2017.json"), b.getValue());
                GenTest.Run r = gen("doctor", "--no-native", "--coco-root", coco.toString());
                assertEquals(1, r.code, r.out);
                assertTrue(r.out.contains("[broken]  coco: " + coco.resolve("annotations/instances_val2017.json")),
                        r.out);
                assertFalse(r.out.contains("All checks passed"), r.out);
            });
        }
        t.add("gen doctor: a whole COCO instances JSON is [ok]", () -> {
            Path coco = t.dir().resolve("coco");
            Files.createDirectories(coco.resolve("val2017"));
            Files.createDirectories(coco.resolve("annotations"));
            Files.writeString(coco.resolve("annotations/instances_val2017.json"), "{\"images\": []}\n");
            GenTest.Run r = gen("doctor", "--no-native", "--coco-root", coco.toString());
            assertEquals(0, r.code, r.out);
            assertTrue(r.out.contains("[ok]      coco:"), r.out);
        });
        return t.stream();
    }

    /** A .npy header declaring {@code shape} over a few bytes of data. */
    static byte[] npyHeader(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) dict.length(), 0});
        out.writeBytes(dict.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    @TestFactory
    Stream<DynamicTest> scoreMapsAndBoxes() throws IOException {
        CaseTable t = new CaseTable(dir);
        Map<String, Float> bad = new java.util.LinkedHashMap<>();
        bad.put("NaN", Float.NaN);
        bad.put("+inf", Float.POSITIVE_INFINITY);
        bad.put("-inf", Float.NEGATIVE_INFINITY);
        for (Map.Entry<String, Float> b : bad.entrySet()) {
            t.add("gen refine: a " + b.getKey() + " score is refused, not spread over a box", () -> {
                Path images = Files.createDirectories(t.dir().resolve("images"));
                Path scores = Files.createDirectories(t.dir().resolve("scores"));
                Images.writePng(images.resolve("f.png"), MasksCommandTest.scene(20, 10, 2, 2, 8, 8), 1, Map.of());
                float[] s = new float[200];
                s[55] = b.getValue();
                Npy.write(scores.resolve("f.npy"), 20, 10, s, false);
                GenTest.Run r = gen("refine", "-q", "--scores", scores.toString(), "--images", images.toString(),
                        "--out", t.dir().resolve("o").toString(), "--threshold", "0.5");
                clean(r, 2, scores.resolve("f.npy").toString(), "score = ", "(15, 2)", "scores must be finite");
                assertFalse(Files.exists(t.dir().resolve("o/f.npy")));
            });
        }
        t.add("gen refine: a 128-byte .npy declaring 40000x40000 is refused before allocating", () -> {
            Path images = Files.createDirectories(t.dir().resolve("images"));
            Path scores = Files.createDirectories(t.dir().resolve("scores"));
            Images.writePng(images.resolve("f.png"), MasksCommandTest.scene(20, 10, 2, 2, 8, 8), 1, Map.of());
            Files.write(scores.resolve("f.npy"), npyHeader("<f4", "(40000, 40000)", new byte[48]));
            clean(gen("refine", "-q", "--scores", scores.toString(), "--images", images.toString(), "--out",
                    t.dir().resolve("o").toString(), "--threshold", "0.5"), 2, "f.npy", "shape = (40000, 40000)");
        });
        List<Frame> frames = Benchmark.ROAD_ANOMALY_MASKS.frames(sd.resolve("road_anomaly"));
        Map<String, byte[]> npys = new java.util.LinkedHashMap<>();
        npys.put("a header declaring 40000x40000", npyHeader("<f4", "(40000, 40000)", new byte[48]));
        npys.put("shape (256, -512)", npyHeader("<f4", "(256, -512)", new byte[48]));
        ByteBuffer nan = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        npys.put("a NaN score", npyHeader("<f4", "(1, 1)", nan.array()));
        for (Map.Entry<String, byte[]> n : npys.entrySet()) {
            for (String cmd : List.of("eval", "export-smiyc")) {
                t.add("gen " + cmd + ": score maps with " + n.getKey() + " are refused naming the file", () -> {
                    Path scores = Files.createDirectories(t.dir().resolve("scores"));
                    for (Frame f : frames) {
                        Files.write(scores.resolve(f.id() + ".npy"), n.getValue());
                    }
                    GenTest.Run r = cmd.equals("eval") ? gen("eval", "--quiet", "--dataset", "road-anomaly-masks",
                            "--root", sd.resolve("road_anomaly").toString(), "--scores", scores.toString())
                            : gen("export-smiyc", "--quiet", "--dataset", "road-anomaly-masks", "--root",
                                    sd.resolve("road_anomaly").toString(), "--scores", scores.toString(), "--method",
                                    "m", "--out", t.dir().resolve("o").toString());
                    clean(r, 2, scores.toString(), ".npy: ");
                });
            }
        }
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("../secret.png", "'..' is not allowed");
        names.put("/etc/passwd", "must be a relative path");
        for (Map.Entry<String, String> e : names.entrySet()) {
            t.add("gen masks: a boxes file_name " + e.getKey() + " is never read; the image is skipped naming it", () -> {
                Path images = Files.createDirectories(t.dir().resolve("images"));
                Images.writePng(t.dir().resolve("secret.png"), MasksCommandTest.scene(40, 30, 5, 5, 20, 20), 1,
                        Map.of());
                Path boxes = t.dir().resolve("boxes.json");
                Files.writeString(boxes, "[{\"file_name\": \"" + e.getKey() + "\", \"bbox\": [5, 5, 15, 15]}]");
                GenTest.Run r = gen("masks", "-q", "--images", images.toString(), "--boxes", boxes.toString(),
                        "--out", t.dir().resolve("m.json").toString());
                assertTrue(r.err.contains("file_name = " + e.getKey() + ": ") && r.err.contains(e.getValue()),
                        r.out + r.err);
                assertFalse(r.err.contains("\tat "), r.err);
                String written = Files.exists(t.dir().resolve("m.json")) ? Files.readString(t.dir().resolve(
                        "m.json")) : "";
                assertFalse(written.contains("\"area\""), "no mask was made from the outside file: " + written);
            });
        }
        t.add("gen masks: a boxes file nested 3000 levels names the file", () -> {
            Path images = Files.createDirectories(t.dir().resolve("images"));
            Path boxes = t.dir().resolve("boxes.json");
            Files.writeString(boxes, "[".repeat(3000) + "]".repeat(3000));
            clean(gen("masks", "-q", "--images", images.toString(), "--boxes", boxes.toString(), "--out",
                    t.dir().resolve("m.json").toString()), 2, boxes.toString(), "malformed JSON");
        });
        t.add("gen paste: --config nested 5000 levels names the file", () -> {
            Path cfg = t.dir().resolve("deep.yaml");
            Files.writeString(cfg, "{a: ".repeat(5000) + "1" + "}".repeat(5000) + "\n");
            clean(gen("paste", "-q", "--src", "coco", "--config", cfg.toString(), "--out", t.dir().resolve("o")
                    .toString(), "--sample-data", sd.toString()), 2, cfg.toString(), "malformed YAML");
        });
        return t.stream();
    }

    @TestFactory
    Stream<DynamicTest> outputFoldersAndRunOptions() {
        CaseTable t = new CaseTable(dir);
        t.add("gen paste --split ../../escape is refused and nothing is written outside --out", () -> {
            Path out = t.dir().resolve("a/b/out");
            clean(gen("paste", "-q", "--src", "coco", "--count", "1", "--split", "../../escape", "--out",
                    out.toString(), "--sample-data", sd.toString()), 2, "--split = ../../escape");
            assertFalse(Files.exists(t.dir().resolve("a/escape")) || Files.exists(t.dir().resolve("escape")));
        });
        t.add("gen paste --out naming a file: exit 2 with the reason", () -> {
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            clean(gen("paste", "-q", "--src", "coco", "--count", "1", "--out", f.toString(), "--sample-data",
                    sd.toString()), 2, "--out = " + f, "is a file, not a folder");
        });
        t.add("gen paste --out under a file: exit 2 with the reason", () -> {
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            clean(gen("paste", "-q", "--src", "coco", "--count", "1", "--out", f.resolve("sub").toString(),
                    "--sample-data", sd.toString()), 2, "cannot create the folder");
        });
        t.add("gen paste -v prints the stack trace of an input error", () -> {
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            GenTest.Run r = gen("paste", "-q", "-v", "--src", "coco", "--count", "1", "--out", f.toString(),
                    "--sample-data", sd.toString());
            assertEquals(2, r.code);
            assertTrue(r.err.contains("\tat "), r.err);
        });
        t.add("gen export-smiyc --method .. is refused", () -> clean(gen("export-smiyc", "--quiet", "--dataset",
                "road-anomaly-masks", "--root", sd.resolve("road_anomaly").toString(), "--scores", t.dir().toString(),
                "--method", "..", "--out", t.dir().resolve("o").toString()), 2, "--method = ..: must be a plain name"));
        t.add("gen refine --out naming a file: exit 2 with the reason", () -> {
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            Npy.write(t.dir().resolve("a.npy"), 2, 2, new float[4], false);
            clean(gen("refine", "-q", "--scores", t.dir().toString(), "--images", t.dir().toString(), "--out",
                    f.toString(), "--threshold", "0.5"), 2, "--out = " + f, "is a file, not a folder");
        });
        t.add("gen eval --out naming a file: exit 2 with the reason", () -> {
            Path scores = Files.createDirectories(t.dir().resolve("scores"));
            for (Frame fr : Benchmark.ROAD_ANOMALY_MASKS.frames(sd.resolve("road_anomaly"))) {
                var im = Images.readRgb(fr.image());
                Npy.write(scores.resolve(fr.id() + ".npy"), im.width(), im.height(),
                        new float[im.width() * im.height()], false);
            }
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            GenTest.Run r = gen("eval", "--quiet", "--dataset", "road-anomaly-masks", "--root",
                    sd.resolve("road_anomaly").toString(), "--scores", scores.toString(), "--out", f.toString());
            clean(r, 2, "--out = " + f, "is a file, not a folder");
        });
        t.add("gen score --out naming a file: exit 2 with the reason", () -> {
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            Path base = t.dir().resolve("base");
            assertEquals(0, gen("train", "-q", "--sample-data", sd.toString(), "--out", base.toString(),
                    "--max-steps", "1", "--set", "train.validate=", "--set", "data.crop=[64, 128]", "--set",
                    "data.batch=2", "--set", "model.ladder.width=8", "--set", "model.ladder.decoder=16").code);
            clean(gen("score", "-q", "--model", base.toString(), "--score", "msp", "--dataset", "road-anomaly-masks",
                    "--root", sd.resolve("road_anomaly").toString(), "--out", f.toString()), 2,
                    "is a file, not a folder");
        });
        t.add("gen paste on a folder another run holds: exit 2, one line", () -> {
            Path out = t.dir().resolve("held");
            try (OutputLock held = OutputLock.acquire(out, "--out")) {
                clean(gen("paste", "-q", "--src", "coco", "--count", "1", "--out", out.toString(), "--sample-data",
                        sd.toString()), 2, "--out = " + out, "another run is writing into this folder");
            }
        });
        t.add("gen prepare coco-ood: an image declared 30000x30000 is skipped with the reason, not claimed", () -> {
            Path coco = t.dir().resolve("coco");
            Files.createDirectories(coco.resolve("val2017"));
            Files.createDirectories(coco.resolve("annotations"));
            Files.write(coco.resolve("val2017/000000000001.jpg"), new byte[] {1});
            Files.write(coco.resolve("val2017/000000000002.jpg"), new byte[] {1});
            String poly = "\"category_id\":1,\"iscrowd\":0,\"area\":100,\"bbox\":[0,0,10,10],"
                    + "\"segmentation\":[[0,0,10,0,10,10,0,10]]";
            Files.writeString(coco.resolve("annotations/instances_val2017.json"), "{\"images\":["
                    + "{\"id\":1,\"width\":640,\"height\":480,\"file_name\":\"000000000001.jpg\"},"
                    + "{\"id\":2,\"width\":30000,\"height\":30000,\"file_name\":\"000000000002.jpg\"}],"
                    + "\"annotations\":[{\"id\":1,\"image_id\":1," + poly + "},{\"id\":2,\"image_id\":2," + poly
                    + "}],\"categories\":[{\"id\":1,\"name\":\"kite\",\"supercategory\":\"x\"},"
                    + "{\"id\":2,\"name\":\"person\",\"supercategory\":\"person\"}]}");
            GenTest.Run r = gen("prepare", "coco-ood", "-q", "--coco-root", coco.toString(), "--split", "val",
                    "--out", t.dir().resolve("o").toString(), "--exclude", "person");
            assertEquals(0, r.code, r.out + r.err);
            assertTrue(r.out.contains("kept 1 (1 written"), r.out);
            assertTrue(Files.isRegularFile(t.dir().resolve("o/annotations/ood_seg_val2017/000000000001.png")));
            assertFalse(Files.exists(t.dir().resolve("o/annotations/ood_seg_val2017/000000000002.png")));
            assertTrue(r.err.contains("image 2: size = 30000x30000"), r.err);
        });
        t.add("gen sample-data --seed 3 over a seed-2 set is refused", () -> clean(gen("sample-data", "-q", "--seed",
                "3", "--out", sd.toString()), 2, "another seed or scale (now seed=3 scale=small)"));
        t.add("gen sample-data --scale full over a small set is refused", () -> clean(gen("sample-data", "-q", "--seed",
                "2", "--scale", "full", "--out", sd.toString()), 2, "now seed=2 scale=full"));
        t.add("gen sample-data into a folder of other files is refused", () -> {
            Files.writeString(t.dir().resolve("notes.txt"), "mine");
            clean(gen("sample-data", "-q", "--out", t.dir().toString()), 2, "folder is not empty");
            assertEquals(List.of("notes.txt"), Files.list(t.dir()).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).toList());
        });
        t.add("gen train --max-steps -1 is refused", () -> clean(gen("train", "-q", "--sample-data", sd.toString(),
                "--out", t.dir().resolve("t").toString(), "--max-steps", "-1"), 2, "--max-steps = -1"));
        t.add("gen train --out naming a file: exit 2 with the reason", () -> {
            Path f = Files.writeString(t.dir().resolve("f"), "x");
            clean(gen("train", "-q", "--sample-data", sd.toString(), "--out", f.toString(), "--max-steps", "1"), 2,
                    "is a file, not a folder");
        });
        t.add("gen finetune --negatives naming a missing folder says so", () -> {
            Path missing = t.dir().resolve("no-such-folder");
            clean(gen("finetune", "-q", "--sample-data", sd.toString(), "--loss", "densehybrid", "--negatives",
                    missing.toString(), "--model", t.dir().toString(), "--out", t.dir().resolve("ft").toString()), 2,
                    missing.toString());
        });
        return t.stream();
    }
}
