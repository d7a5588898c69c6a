package io.roadneg.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.hostile.CaseTable;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.hostile.Crafted;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile inputs to {@code gen paste}, one row per case (part of the case table in docs/hostile-inputs.md): bomb
 * images in the destination and in the source are reported and skipped while the run goes on, paths from data and
 * options stay inside their roots, a second run on the same folder is refused, outputs follow the umask.
 */
class HostilePasteInputsTest {
    @TempDir
    static Path sample;

    @TempDir
    Path dir;


    @BeforeAll
    static void makeSampleData() {
        SampleData.generate(SampleDataOptions.small(sample, 5), Progress.NONE);
        MetaOodPreparer.run(MetaOodPreparer.Options.defaults(sample.resolve("coco"), "train", sample.resolve("coco")),
                Progress.NONE);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals(OutputLock.FILE)) {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** A copy of the sample Cityscapes tree with {@code victim(first train frame)} overwritten by {@code bytes}. */
    private static Path cityscapesWith(Path where, String suffix, byte[] bytes) throws IOException {
        Path cs = where.resolve("cs");
        copyTree(sample.resolve("cityscapes"), cs);
        Path victim;
        try (Stream<Path> s = Files.walk(cs.resolve(suffix.contains("leftImg8bit") ? "leftImg8bit/train"
                : "gtFine/train"))) {
            victim = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().findFirst().orElseThrow();
        }
        Files.write(victim, bytes);
        return cs;
    }

    /** A copy of the sample COCO root (with its Meta-OOD masks) whose image entries are edited by {@code edit}. */
    private static Path cocoWith(Path where, UnaryOperator<ObjectNode> edit, byte[] everyImage) throws IOException {
        Path coco = where.resolve("coco");
        copyTree(sample.resolve("coco"), coco);
        Path json = coco.resolve("annotations/instances_train2017.json");
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = (ObjectNode) m.readTree(json.toFile());
        root.withArray("images").forEach(n -> edit.apply((ObjectNode) n));
        Files.write(json, m.writeValueAsBytes(root));
        if (everyImage != null) {
            try (Stream<Path> s = Files.list(coco.resolve("train2017"))) {
                for (Path p : s.toList()) {
                    Files.write(p, everyImage);
                }
            }
        }
        return coco;
    }

    private PasteJob.Options options(Path cs, Path coco, Path out, String split) {
        PasteConfig c = Presets.load("rpl", null, Map.of());
        OutlierSource src = io.roadneg.generators.sources.CocoSource.open(coco, coco,
                (io.roadneg.generators.sources.CocoSourceConfig) c.source());
        return new PasteJob.Options(c, Configs.toYaml(c), src, cs, split, 4, null, out, 2, 1);
    }

    @TestFactory
    Stream<DynamicTest> bombImagesAreSkippedAndTheRunFinishes() {
        CaseTable t = new CaseTable(dir);
        Map<String, byte[]> dest = new java.util.LinkedHashMap<>();
        dest.put("_leftImg8bit.png|PNG header 50000x50000", Crafted.pngRgb(50000, 50000));
        dest.put("_leftImg8bit.png|PNG header 30000x30000", Crafted.pngRgb(30000, 30000));
        dest.put("_gtFine_labelTrainIds.png|label PNG header 50000x50000", Crafted.pngGray(50000, 50000));
        dest.put("_gtFine_labelIds.png|label PNG header 40000x40000", Crafted.pngGray(40000, 40000));
        dest.put("_gtFine_instanceIds.png|16-bit PNG header 65536x65536", Crafted.png(65536, 65536, 16, 0));
        for (Map.Entry<String, byte[]> e : dest.entrySet()) {
            String[] parts = e.getKey().split("\\|");
            t.add("paste: destination " + parts[0] + " " + parts[1] + " is skipped; the rerun finishes", () -> {
                Path cs = cityscapesWith(t.dir(), parts[0], e.getValue());
                Path out = t.dir().resolve("out");
                PasteJob.Result r = PasteJob.run(options(cs, sample.resolve("coco"), out, "train"), Progress.NONE);
                assertEquals(1, r.skipped().getOrDefault("bad destination", 0), r.problems().toString());
                assertEquals(3, r.made());
                assertTrue(r.problems().get(0).contains("over the pixel limit"), r.problems().get(0));
                PasteJob.Result again = PasteJob.run(options(cs, sample.resolve("coco"), out, "train"),
                        Progress.NONE);
                assertEquals(4, again.alreadyDone(), "a rerun does not trip over the same file again");
            });
        }
        Map<String, byte[]> src = new java.util.LinkedHashMap<>();
        src.put("JPEG frame header 65535x65535", Crafted.jpeg(65535, 65535, false));
        src.put("PNG header 50000x50000", Crafted.pngRgb(50000, 50000));
        src.put("WebP VP8X header 100000x100000", Crafted.webpVp8x(100000, 100000));
        for (Map.Entry<String, byte[]> e : src.entrySet()) {
            t.add("paste: every COCO source image a " + e.getKey() + ": every item skipped with the reason", () -> {
                Path coco = cocoWith(t.dir(), n -> n, e.getValue());
                PasteJob.Result r = PasteJob.run(options(sample.resolve("cityscapes"), coco, t.dir().resolve("o"),
                        "train"), Progress.NONE);
                assertEquals(0, r.made());
                assertEquals(4, r.skipped().getOrDefault("bad source", 0), r.skipped().toString());
                assertTrue(r.problems().stream().allMatch(p -> p.contains("over the pixel limit")), r.problems()
                        .toString());
            });
        }
        return t.stream();
    }

    @TestFactory
    Stream<DynamicTest> pathsFromDataAndOptionsStayInside() throws IOException {
        CaseTable t = new CaseTable(dir);
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("../../outside.png", "'..' is not allowed");
        names.put("/etc/passwd", "must be a relative path");
        names.put("sub/../../train2017/x.jpg", "'..' is not allowed");
        for (Map.Entry<String, String> e : names.entrySet()) {
            t.add("paste: COCO file_name " + e.getKey() + " is never read; the items are skipped naming it", () -> {
                Path coco = cocoWith(t.dir(), n -> n.put("file_name", e.getKey()), null);
                PasteJob.Result r = PasteJob.run(options(sample.resolve("cityscapes"), coco, t.dir().resolve("o"),
                        "train"), Progress.NONE);
                assertEquals(0, r.made());
                assertTrue(r.problems().stream().allMatch(p -> p.contains("file_name = " + e.getKey())
                        && p.contains(e.getValue())), r.problems().toString());
            });
        }
        for (String split : List.of("../../escape", "a/b", "..", "")) {
            t.add("paste: --split '" + split + "' is refused and nothing is written", () -> {
                Path out = t.dir().resolve("deep/er/out");
                InputException x = assertThrows(InputException.class, () -> options(sample.resolve("cityscapes"),
                        sample.resolve("coco"), out, split));
                assertTrue(x.getMessage().startsWith("--split"), x.getMessage());
                assertFalse(Files.exists(t.dir().resolve("deep")));
            });
        }
        return t.stream();
    }

    @TestFactory
    Stream<DynamicTest> outputFolder() {
        CaseTable t = new CaseTable(dir);
        t.add("paste: a second run on a folder another run holds is refused with one line", () -> {
            Path out = t.dir().resolve("held");
            try (OutputLock first = OutputLock.acquire(out, "--out")) {
                InputException x = assertThrows(InputException.class, () -> PasteJob.run(options(
                        sample.resolve("cityscapes"), sample.resolve("coco"), out, "train"), Progress.NONE));
                assertTrue(x.getMessage().contains("another run is writing into this folder"), x.getMessage());
            }
            assertEquals(4, PasteJob.run(options(sample.resolve("cityscapes"), sample.resolve("coco"), out, "train"),
                    Progress.NONE).made(), "the folder is free once the first run ends");
        });
        t.add("paste: --out naming a file is a one-line input error with the reason", () -> {
            Path f = Files.writeString(t.dir().resolve("file"), "x");
            InputException x = assertThrows(InputException.class, () -> PasteJob.run(options(
                    sample.resolve("cityscapes"), sample.resolve("coco"), f, "train"), Progress.NONE));
            assertTrue(x.getMessage().contains("is a file, not a folder"), x.getMessage());
        });
        t.add("paste: outputs and folders follow the umask (same modes as plain new ones)", () -> {
            Path out = t.dir().resolve("modes");
            PasteJob.run(options(sample.resolve("cityscapes"), sample.resolve("coco"), out, "train"), Progress.NONE);
            var fileMode = Files.getPosixFilePermissions(Files.createFile(t.dir().resolve("plain")));
            var dirMode = Files.getPosixFilePermissions(Files.createDirectory(t.dir().resolve("plain-dir")));
            try (Stream<Path> s = Files.walk(out)) {
                for (Path p : s.toList()) {
                    assertEquals(Files.isDirectory(p) ? dirMode : fileMode, Files.getPosixFilePermissions(p),
                            p.toString());
                }
            }
        });
        t.add("paste: temp files a killed run left are removed by the rerun", () -> {
            Path out = t.dir().resolve("temps");
            PasteJob.run(options(sample.resolve("cityscapes"), sample.resolve("coco"), out, "train"), Progress.NONE);
            Path leftover = out.resolve("leftImg8bit/train/" + AtomicFiles.TEMP_PREFIX + "x.png.123");
            Files.createDirectories(leftover.getParent());
            Files.write(leftover, new byte[] {1});
            PasteJob.run(options(sample.resolve("cityscapes"), sample.resolve("coco"), out, "train"), Progress.NONE);
            try (Stream<Path> s = Files.walk(out)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)));
            }
        });
        return t.stream();
    }

}
