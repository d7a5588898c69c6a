package io.roadneg.datasets.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.cityscapes.CityscapesPolygons;
import io.roadneg.datasets.coco.CocoInstancesReader;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.image.ImageLimits;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.datasets.io.Roots;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.datasets.sample.SampleScale;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and malformed inputs to the dataset layer, one row per case (the case table of the reliability work, see
 * docs/hostile-inputs.md): every row must end in a clean one-line {@link InputException} naming the file, field and
 * value, or in a reported skip; none may crash, allocate first, or be silently accepted.
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    private final List<DynamicTest> cases = new ArrayList<>();

    private void add(String name, Executable body) {
        cases.add(DynamicTest.dynamicTest(name, body));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return f;
    }

    /** The error names {@code file} first and says {@code what}; it is one line. */
    static void refused(InputException e, Path file, String what) {
        String m = e.getMessage();
        if (file != null) {
            assertTrue(m.startsWith(file.toString()), "names the file: " + m);
        }
        assertTrue(m.contains(what), "says '" + what + "': " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    private record Variant(String name, byte[] bytes, String rgbError, String labelError, boolean tooLarge) {
    }

    private static byte[] realPng() {
        return Images.encodePng(new RgbImage(40, 30, new byte[40 * 30 * 3]), 1, Map.of());
    }

    @TestFactory
    Stream<DynamicTest> imageDecoding() {
        String big = "over the pixel limit";
        String empty = "declares an empty image";
        List<Variant> vs = List.of(
                new Variant("png header 50000x50000 (74 bytes)", Crafted.pngRgb(50000, 50000), big, big, true),
                new Variant("png header 30000x30000", Crafted.pngGray(30000, 30000), big, big, true),
                new Variant("png header just over the default limit 16385x8192", Crafted.pngGray(16385, 8192), big,
                        big, true),
                new Variant("png header 1 x 2^31-1", Crafted.pngGray(1, Integer.MAX_VALUE), big, big, true),
                new Variant("png 16-bit gray header 65536x65536", Crafted.png(65536, 65536, 16, 0), big, big, true),
                new Variant("png header width 0", Crafted.pngGray(0, 10), empty, empty, false),
                new Variant("png header width with the top bit set (negative)", Crafted.pngGray(0x80000001, 10),
                        empty, empty, false),
                new Variant("jpeg frame header 65535x65535", Crafted.jpeg(65535, 65535, false), big, "not a PNG",
                        true),
                new Variant("progressive jpeg frame header 60000x60000", Crafted.jpeg(60000, 60000, true), big,
                        "not a PNG", true),
                new Variant("jpeg frame header 0x0", Crafted.jpeg(0, 0, false), empty, "not a PNG", false),
                new Variant("webp VP8X canvas 16777216x16777216", Crafted.webpVp8x(1 << 24, 1 << 24), big,
                        "not a PNG", true),
                new Variant("webp VP8L 16384x16384", Crafted.webpVp8l(16384, 16384), big, "not a PNG", true),
                new Variant("webp VP8 16383x16383", Crafted.webpVp8(16383, 16383), big, "not a PNG", true),
                new Variant("zero-byte file", new byte[0], "not a PNG, JPEG or WebP", "not a PNG", false),
                new Variant("64 random bytes", new java.util.Random(3).ints(64).collect(
                        java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (a, b) -> { }).toByteArray(),
                        "not a PNG, JPEG or WebP", "not a PNG", false),
                new Variant("text file", "hello, not an image\n".getBytes(StandardCharsets.UTF_8),
                        "not a PNG, JPEG or WebP", "not a PNG", false),
                new Variant("png signature only", Crafted.cut(Crafted.pngRgb(8, 8), 0.15), "truncated PNG",
                        "not a PNG", false),
                new Variant("real png cut in half", Crafted.cut(realPng(), 0.5), "truncated PNG", "truncated PNG",
                        false),
                new Variant("jpeg without end-of-image marker", Crafted.cut(Images.encodeJpeg(new RgbImage(16, 16,
                        new byte[16 * 16 * 3]), 90), 0.6), "truncated JPEG", "not a PNG", false));
        for (Variant v : vs) {
            add("readRgb: " + v.name(), () -> {
                Path f = write("rgb/" + cases.size() + ".img", v.bytes());
                InputException e = assertThrows(InputException.class, () -> Images.readRgb(f));
                refused(e, f, v.rgbError());
                if (v.tooLarge()) {
                    assertInstanceOf(ImageLimits.ImageTooLargeException.class, e);
                }
            });
            add("readLabel: " + v.name(), () -> {
                Path f = write("label/" + cases.size() + ".png", v.bytes());
                InputException e = assertThrows(InputException.class, () -> Images.readLabel(f));
                refused(e, f, v.labelError());
            });
        }
        add("readRgb: missing file", () -> refused(assertThrows(InputException.class,
                () -> Images.readRgb(dir.resolve("nope.png"))), dir.resolve("nope.png"), "file not found"));
        add("readLabel: a folder where a file should be", () -> {
            Path d = Files.createDirectories(dir.resolve("folder.png"));
            refused(assertThrows(InputException.class, () -> Images.readLabel(d)), d, "cannot read");
        });
        add("readLabel: an RGB png as a label map", () -> {
            Path f = write("rgb-as-label.png", realPng());
            refused(assertThrows(InputException.class, () -> Images.readLabel(f)), f, "must be gray or palette");
        });
        add("checkFile: a header over the limit found in the first bytes only", () -> {
            Path f = write("head.jpg", Crafted.jpeg(40000, 40000, false));
            assertThrows(ImageLimits.ImageTooLargeException.class, () -> ImageLimits.checkFile(f));
        });
        add("pixel limit lowered by the system property refuses a 40x30 png", () -> withLimit("1000", () -> {
            Path f = write("small.png", realPng());
            refused(assertThrows(ImageLimits.ImageTooLargeException.class, () -> Images.readRgb(f)), f,
                    "over the pixel limit of 1000");
        }));
        add("pixel limit raised by the system property lets a 40x30 png through", () -> withLimit("1200",
                () -> assertEquals(40, Images.readRgb(write("ok.png", realPng())).width())));
        add("pixel limit not a number", () -> withLimit("lots", () -> refused(assertThrows(InputException.class,
                ImageLimits::maxPixels), null, "-D" + ImageLimits.PROPERTY + " = lots: must be a whole number")));
        add("pixel limit zero", () -> withLimit("0", () -> refused(assertThrows(InputException.class,
                ImageLimits::maxPixels), null, "must be 1..")));
        add("pixel limit over what one array holds", () -> withLimit(Long.toString(1L << 40), () -> refused(
                assertThrows(InputException.class, ImageLimits::maxPixels), null, "must be 1..")));
        return cases.stream();
    }

    private static void withLimit(String value, Executable body) throws Throwable {
        String old = System.getProperty(ImageLimits.PROPERTY);
        System.setProperty(ImageLimits.PROPERTY, value);
        try {
            body.execute();
        } finally {
            if (old == null) {
                System.clearProperty(ImageLimits.PROPERTY);
            } else {
                System.setProperty(ImageLimits.PROPERTY, old);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> pathsStayInsideTheirRoots() {
        Path root = Path.of("/data/coco/val2017");
        Map<String, String> refusedPaths = new java.util.LinkedHashMap<>();
        refusedPaths.put("../../etc/passwd", "'..' is not allowed");
        refusedPaths.put("/etc/passwd", "must be a relative path");
        refusedPaths.put("a/../../b.jpg", "'..' is not allowed");
        refusedPaths.put("./../x.jpg", "'..' is not allowed");
        refusedPaths.put("a/b/../../../c.jpg", "'..' is not allowed");
        refusedPaths.put("", "must be a non-empty relative path");
        refusedPaths.put("a\0b.jpg", "must be a relative path");
        refusedPaths.put("\\\\server\\share\\x.jpg", "must be a relative path");
        refusedPaths.put("..", "'..' is not allowed");
        for (Map.Entry<String, String> e : refusedPaths.entrySet()) {
            add("file_name " + printable(e.getKey()) + " is refused", () -> refused(assertThrows(
                    InputException.class, () -> Roots.inside(root, e.getKey(), Path.of("instances.json"),
                            "images[0].file_name")), Path.of("instances.json"), e.getValue()));
        }
        for (String ok : List.of("000000000139.jpg", "sub/dir/x.jpg", "./x.jpg", "....jpg")) {
            add("file_name " + ok + " resolves inside the root", () -> assertTrue(Roots.inside(root, ok, null, "f")
                    .startsWith(root)));
        }
        for (String fileName : List.of("../1.png", "/etc/passwd")) {
            add("panoptic file_name " + fileName + " is refused", () -> {
                Path png = Files.createDirectories(dir.resolve("png"));
                Path json = write("panoptic-" + cases.size() + ".json", ("{\"annotations\": [{\"image_id\": 1, "
                        + "\"file_name\": \"" + fileName + "\", \"segments_info\": []}], \"categories\": [{\"id\": "
                        + "18, \"name\": \"dog\", \"isthing\": 1}]}").getBytes(StandardCharsets.UTF_8));
                io.roadneg.datasets.coco.PanopticReader r = io.roadneg.datasets.coco.PanopticReader.open(json, png,
                        null);
                List<io.roadneg.datasets.coco.PanopticReader.Entry> entries = new ArrayList<>();
                r.forEach(entries::add);
                refused(assertThrows(InputException.class, () -> r.masks(entries.get(0))), json, "file_name = "
                        + fileName);
            });
        }
        for (String bad : List.of("../../escape", "a/b", "..", ".", "", "a\\b")) {
            add("--split " + printable(bad) + " is refused", () -> refused(assertThrows(InputException.class,
                    () -> Roots.name(bad, null, "--split")), null, "--split"));
        }
        return cases.stream();
    }

    private static String printable(String s) {
        return s.isEmpty() ? "(empty)" : s.replace("\0", "\\0");
    }

    @TestFactory
    Stream<DynamicTest> nestedAndMalformedJsonAndYaml() {
        add("--config YAML nested 5000 levels", () -> {
            Path f = write("deep.yaml", Crafted.nestedYaml(5000).getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> Configs.readTree(f)), f, "malformed YAML");
        });
        add("--config YAML block mappings nested 3000 levels", () -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                sb.append(" ".repeat(i)).append("a:\n");
            }
            Path f = write("deep-block.yaml", sb.toString().getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> Configs.readTree(f)), f, "malformed YAML");
        });
        add("--config YAML alias bomb (billion laughs) is read without expanding", () -> {
            StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for (int i = 1; i < 12; i++) {
                sb.append("a").append(i).append(": &a").append(i).append(" [");
                for (int k = 0; k < 10; k++) {
                    sb.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
                }
                sb.append("]\n");
            }
            Path f = write("laughs.yaml", sb.toString().getBytes(StandardCharsets.UTF_8));
            // the YAML reader never expands aliases: 10^12 would-be entries stay a tree of a few hundred bytes
            assertTrue(Configs.readTree(f).toString().length() < 2000);
        });
        add("--config a YAML list instead of a mapping", () -> {
            Path f = write("list.yaml", "- a\n- b\n".getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> Configs.readTree(f)), f, "must be a YAML mapping");
        });
        add("--config binary garbage", () -> {
            Path f = write("garbage.yaml", new byte[] {0, 1, 2, (byte) 0xff, '{', '['});
            refused(assertThrows(InputException.class, () -> Configs.readTree(f)), f, "");
        });
        add("--config unclosed flow mapping", () -> {
            Path f = write("unclosed.yaml", "a: {b: 1\n".getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> Configs.readTree(f)), f, "malformed YAML at line");
        });
        add("--config duplicate key", () -> {
            Path f = write("dup.yaml", "a: 1\na: 2\n".getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> Configs.readTree(f)), f, "malformed YAML");
        });
        add("--config missing file", () -> refused(assertThrows(InputException.class,
                () -> Configs.readTree(dir.resolve("none.yaml"))), dir.resolve("none.yaml"), "config file not found"));
        add("polygons.json nested 3000 levels", () -> {
            Path f = write("p_polygons.json", Crafted.nestedJsonArrays(3000).getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> CityscapesPolygons.read(f)), f, "malformed JSON");
        });
        add("polygons.json objects nested 3000 levels", () -> {
            Path f = write("o_polygons.json", Crafted.nestedJsonObjects(3000).getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> CityscapesPolygons.read(f)), f, "malformed JSON");
        });
        add("polygons.json zero bytes", () -> {
            Path f = write("z_polygons.json", new byte[0]);
            refused(assertThrows(InputException.class, () -> CityscapesPolygons.read(f)), f, "");
        });
        add("COCO instances JSON: images nested 3000 levels", () -> {
            Path f = write("inst-deep.json", ("{\"images\": " + Crafted.nestedJsonArrays(3000) + "}").getBytes(
                    StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> CocoInstancesReader.open(f).images()), f, "");
        });
        add("COCO instances JSON: an unknown key nested 3000 levels", () -> {
            Path f = write("inst-deep2.json", ("{\"info\": " + Crafted.nestedJsonObjects(3000)
                    + ", \"images\": [], \"categories\": []}").getBytes(StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> CocoInstancesReader.open(f).images()), f,
                    "malformed JSON");
        });
        add("COCO instances JSON: zero bytes", () -> {
            Path f = write("inst-empty.json", new byte[0]);
            refused(assertThrows(InputException.class, () -> CocoInstancesReader.open(f).images()), f, "");
        });
        add("COCO instances JSON: truncated in the middle", () -> {
            Path f = write("inst-cut.json", "{\"images\": [{\"id\": 1, \"width\": 64, \"he".getBytes(
                    StandardCharsets.UTF_8));
            refused(assertThrows(InputException.class, () -> CocoInstancesReader.open(f).images()), f, "");
        });
        return cases.stream();
    }

    /** A tiny COCO root: one image per (id, w, h) with a 10x10 square polygon, files present but never decoded. */
    private Path coco(long[][] images) throws IOException {
        Path root = dir.resolve("coco");
        StringBuilder im = new StringBuilder();
        StringBuilder an = new StringBuilder();
        for (int i = 0; i < images.length; i++) {
            long[] x = images[i];
            String name = String.format("%012d.jpg", x[0]);
            im.append(i == 0 ? "" : ",").append("{\"id\":").append(x[0]).append(",\"width\":").append(x[1])
                    .append(",\"height\":").append(x[2]).append(",\"file_name\":\"").append(name).append("\"}");
            an.append(i == 0 ? "" : ",").append("{\"id\":").append(i + 1).append(",\"image_id\":").append(x[0])
                    .append(",\"category_id\":1,\"iscrowd\":0,\"area\":100,\"bbox\":[0,0,10,10],")
                    .append("\"segmentation\":[[0,0,10,0,10,10,0,10]]}");
            Files.createDirectories(root.resolve("val2017"));
            Files.write(root.resolve("val2017").resolve(name), Crafted.jpeg((int) Math.min(x[1], 65535),
                    (int) Math.min(x[2], 65535), false));
        }
        String json = "{\"images\":[" + im + "],\"annotations\":[" + an + "],\"categories\":[{\"id\":1,\"name\":"
                + "\"person\",\"supercategory\":\"person\"},{\"id\":2,\"name\":\"kite\",\"supercategory\":\"x\"}]}";
        Files.createDirectories(root.resolve("annotations"));
        Files.writeString(root.resolve("annotations/instances_val2017.json"), json);
        return root;
    }

    @TestFactory
    Stream<DynamicTest> metaOodDeclaredSizes() {
        for (long[] big : List.of(new long[] {30000, 30000}, new long[] {50000, 50000}, new long[] {16385, 8193},
                new long[] {2000000000, 500})) {
            add("prepare coco-ood: image declared " + big[0] + "x" + big[1] + " is skipped with a reason, the "
                    + "manifest claims only written masks", () -> {
                    Path root = coco(new long[][] {{1, 640, 480}, {2, big[0], big[1]}});
                    Path out = dir.resolve("ood-" + big[0]);
                    MetaOodPreparer.Result r = MetaOodPreparer.run(new MetaOodPreparer.Options(root, "val", out,
                            List.of("kite"), 480, 2), Progress.NONE);
                    assertEquals(1, r.kept());
                    assertEquals(1, r.dropped().get(MetaOodPreparer.Reason.TOO_LARGE));
                    assertTrue(r.problems().stream().anyMatch(p -> p.contains("image 2: size = " + big[0] + "x"
                            + big[1])), r.problems().toString());
                    assertTrue(Files.isRegularFile(MetaOodPreparer.maskFile(out, "val", 1)));
                    assertFalse(Files.exists(MetaOodPreparer.maskFile(out, "val", 2)));
                    String manifest = Files.readString(r.manifest());
                    assertTrue(manifest.contains("declared size over the pixel limit"), manifest);
                });
        }
        add("prepare coco-ood: a second run on a locked mask folder is refused", () -> {
            Path root = coco(new long[][] {{1, 640, 480}});
            Path out = dir.resolve("ood-locked");
            try (OutputLock held = OutputLock.acquire(MetaOodPreparer.maskFolder(out, "val"), "--out")) {
                refused(assertThrows(InputException.class, () -> MetaOodPreparer.run(new MetaOodPreparer.Options(
                        root, "val", out, List.of(), 480, 1), Progress.NONE)), null, "another run is writing");
            }
            assertEquals(1, MetaOodPreparer.run(new MetaOodPreparer.Options(root, "val", out, List.of(), 480, 1),
                    Progress.NONE).kept(), "the lock is released with its holder");
        });
        return cases.stream();
    }

    @TestFactory
    Stream<DynamicTest> outputsLocksAndPermissions() {
        add("atomic writes follow the umask (same mode as a plain new file)", () -> {
            Path plain = Files.createFile(dir.resolve("plain"));
            Path atomic = dir.resolve("atomic");
            AtomicFiles.write(atomic, new byte[] {1});
            assertEquals(mode(plain), mode(atomic));
            assertTrue(mode(atomic).contains(PosixFilePermission.OTHERS_READ) == mode(plain).contains(
                    PosixFilePermission.OTHERS_READ));
        });
        add("temp folders follow the umask (same mode as a plain new folder)", () -> {
            Path plain = Files.createDirectory(dir.resolve("plain-dir"));
            Path tmp = AtomicFiles.createTempDirectory(dir, ".x.tmp");
            assertEquals(mode(plain), mode(tmp));
        });
        add("an atomic write leaves no temp file", () -> {
            Path d = Files.createDirectories(dir.resolve("clean"));
            AtomicFiles.write(d.resolve("f"), new byte[] {1, 2});
            try (Stream<Path> s = Files.list(d)) {
                assertEquals(List.of("f"), s.map(p -> p.getFileName().toString()).toList());
            }
        });
        add("output lock: a second holder is refused with one line", () -> {
            Path out = dir.resolve("locked");
            try (OutputLock a = OutputLock.acquire(out, "--out")) {
                refused(assertThrows(InputException.class, () -> OutputLock.acquire(out, "--out")), null,
                        "another run is writing into this folder");
            }
        });
        add("output lock: free again once released (a crashed holder leaves no stale lock)", () -> {
            Path out = dir.resolve("relock");
            OutputLock.acquire(out, "--out").close();
            assertTrue(Files.exists(out.resolve(OutputLock.FILE)));
            OutputLock.acquire(out, "--out").close();
        });
        add("--out naming a file", () -> {
            Path f = write("a-file", new byte[] {1});
            refused(assertThrows(InputException.class, () -> OutputLock.acquire(f, "--out")), null,
                    "--out = " + f + ": is a file, not a folder");
        });
        add("--out under a file", () -> {
            Path f = write("b-file", new byte[] {1});
            refused(assertThrows(InputException.class, () -> OutputLock.acquire(f.resolve("sub"), "--out")), null,
                    "cannot create the folder: ");
        });
        add("sample-data over another seed is refused", () -> {
            Path out = dir.resolve("sd");
            markSample(out, 1, SampleScale.SMALL);
            refused(assertThrows(InputException.class, () -> SampleData.generate(SampleDataOptions.small(out, 2),
                    Progress.NONE)), out.resolve(SampleData.MARKER), "another seed or scale (now seed=2 scale=small)");
        });
        add("sample-data --scale full over a small set is refused", () -> {
            Path out = dir.resolve("sd2");
            markSample(out, 1, SampleScale.SMALL);
            refused(assertThrows(InputException.class, () -> SampleData.generate(new SampleDataOptions(out, 1,
                    SampleScale.FULL), Progress.NONE)), out.resolve(SampleData.MARKER), "now seed=1 scale=full");
        });
        add("sample-data into a folder of unknown files is refused", () -> {
            Path out = Files.createDirectories(dir.resolve("sd3"));
            Files.writeString(out.resolve("mine.txt"), "x");
            refused(assertThrows(InputException.class, () -> SampleData.generate(SampleDataOptions.small(out, 1),
                    Progress.NONE)), out, "folder is not empty");
        });
        add("a Cityscapes root that does not exist is named by its option", () -> refused(assertThrows(
                InputException.class, () -> CityscapesDataset.open(dir.resolve("gone"), "negatives folder")), null,
                "negatives folder = " + dir.resolve("gone") + ": no such folder"));
        return cases.stream();
    }

    private static void markSample(Path out, long seed, SampleScale scale) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(SampleData.MARKER), "seed=" + seed + " scale=" + scale.name().toLowerCase()
                + "\n");
    }

    private static Set<PosixFilePermission> mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }


}
