package io.roadneg.generators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasteJobTest {
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

    private static PasteJob.Options options(String preset, Map<String, String> set, Path cs, Path out, int threads,
            long seed, int count) {
        PasteConfig c = Presets.load(preset, null, set);
        OutlierSource src = OutlierSources.open(c.source(), SourceContext.of(Map.of(), sample));
        return new PasteJob.Options(c, Configs.toYaml(c), src, cs, "train", count, null, out, threads, seed);
    }

    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> m = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put(root.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    private static void assertSameTree(Path a, Path b) throws IOException {
        Map<String, byte[]> ta = tree(a);
        Map<String, byte[]> tb = tree(b);
        assertEquals(ta.keySet(), tb.keySet());
        for (String k : ta.keySet()) {
            assertArrayEquals(ta.get(k), tb.get(k), k);
        }
    }

    @Test
    void oneAndTwoThreadsAndAKilledRunGiveTheSameBytes() throws Exception {
        Path cs = sample.resolve("cityscapes");
        PasteJob.Result one = PasteJob.run(options("road-obstacles", Map.of(), cs, dir.resolve("one"), 1, 3, 8),
                Progress.NONE);
        assertEquals(8, one.made());
        assertTrue(one.objects() >= 8, "road-obstacles pastes 1..3 objects per output");
        PasteJob.run(options("road-obstacles", Map.of(), cs, dir.resolve("two"), 2, 3, 8), Progress.NONE);
        assertSameTree(dir.resolve("one"), dir.resolve("two"));

        // a run killed after a few items, then started again, finishes without redoing them
        Progress killer = new Progress() {
            private int steps;

            @Override
            public void start(String task, long total) {
            }

            @Override
            public synchronized void step(long n) {
                steps += n;
                if (steps >= 3) {
                    throw new IllegalStateException("killed");
                }
            }

            @Override
            public void close() {
            }
        };
        Path killed = dir.resolve("killed");
        assertThrows(IllegalStateException.class, () -> PasteJob.run(options("road-obstacles", Map.of(), cs, killed,
                2, 3, 8), killer));
        // the run-level files grow in temp files while the items are made: a failed run leaves none of them
        try (Stream<Path> s = Files.walk(killed)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".tmp-") || n.equals("manifest.jsonl") || n.startsWith("outliers_"))
                    .toList());
        }
        PasteJob.Result resumed = PasteJob.run(options("road-obstacles", Map.of(), cs, killed, 2, 3, 8),
                Progress.NONE);
        assertTrue(resumed.alreadyDone() >= 3, "done items are kept: " + resumed.alreadyDone());
        assertEquals(8, resumed.alreadyDone() + resumed.made());
        assertSameTree(dir.resolve("one"), killed);
    }

    /**
     * A run that fails while another item is still reading: the interrupt that stops that worker cuts its read short,
     * and that is no verdict on the item (it used to be recorded as a "bad source" skip, which every resumed run then
     * kept: the item never made, without a word).
     */
    @Test
    void anItemStoppedByAnotherItemsFailureIsMadeByTheResumedRunNotSkipped() throws Exception {
        Path cs = sample.resolve("cityscapes");
        Path out = dir.resolve("stopped");
        PasteJob.Options plain = options("pebal", Map.of(), cs, out, 2, 3, 4);
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        OutlierSource real = plain.source();
        OutlierSource hostile = new OutlierSource() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public int size() {
                return real.size();
            }

            @Override
            public String itemId(int index) {
                return real.itemId(index);
            }

            @Override
            public int indexOf(String itemId) {
                return real.indexOf(itemId);
            }

            @Override
            public Map<String, Object> draw(int index, java.util.Random rng) {
                return real.draw(index, rng);
            }

            @Override
            public Map<Integer, String> categories() {
                return real.categories();
            }

            @Override
            public io.roadneg.pasting.PasteObject load(int index, Map<String, Object> draw) {
                int call = calls.incrementAndGet();
                if (call == 1) {
                    // a slow read, cut short when the run stops, as an interrupted channel read is
                    reading.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new InputException(Path.of("image.jpg"), "image", "(cut short)", "cannot be read");
                }
                if (call == 2) {
                    try {
                        reading.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("boom");
                }
                return real.load(index, draw);
            }
        };
        PasteJob.Options failing = new PasteJob.Options(plain.config(), plain.configYaml(), hostile, cs, "train", 4,
                null, out, 2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PasteJob.run(failing,
                Progress.NONE));
        assertEquals("boom", e.getMessage());
        Path records = out.resolve(PasteJob.ITEMS);
        try (Stream<Path> s = Files.isDirectory(records) ? Files.list(records) : Stream.empty()) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (f.getFileName().toString().endsWith(".json")) {
                    assertEquals("made", new ObjectMapper().readTree(f.toFile()).path("status").asText(),
                            "a record kept from the failed run: " + f.getFileName());
                }
            }
        }
        PasteJob.Result resumed = PasteJob.run(options("pebal", Map.of(), cs, out, 2, 3, 4), Progress.NONE);
        assertEquals(Map.of(), resumed.skipped());
        assertEquals(4, resumed.made() + resumed.alreadyDone());
        assertSameTree(out, runPlain(cs, dir.resolve("plain")));
    }

    private static Path runPlain(Path cs, Path out) {
        PasteJob.run(options("pebal", Map.of(), cs, out, 1, 3, 4), Progress.NONE);
        return out;
    }

    @Test
    void onlyTheThumbnailsThePreviewShowsAreDrawnAndKept() throws Exception {
        Path cs = sample.resolve("cityscapes");
        Map<String, String> two = Map.of("output.preview", "2");
        PasteJob.Result one = PasteJob.run(options("pebal", two, cs, dir.resolve("t1"), 1, 5, 6), Progress.NONE);
        PasteJob.Result three = PasteJob.run(options("pebal", two, cs, dir.resolve("t3"), 3, 5, 6), Progress.NONE);
        assertEquals(6, one.made());
        assertEquals(6, three.made());
        assertSameTree(dir.resolve("t1"), dir.resolve("t3"));
        try (Stream<Path> s = Files.list(dir.resolve("t1").resolve(PasteJob.ITEMS))) {
            assertEquals(List.of("000000.thumb.png", "000001.thumb.png"), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".thumb.png")).sorted().toList());
        }
    }

    @Test
    void labelsManifestAndCocoJsonAgree() throws Exception {
        Path out = dir.resolve("rpl");
        PasteJob.Result r = PasteJob.run(options("pebal", Map.of(), sample.resolve("cityscapes"), out, 2, 1, 4),
                Progress.NONE);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(r.manifest());
        assertEquals(4, lines.size());
        JsonNode coco = json.readTree(r.cocoJson().toFile());
        assertEquals(4, coco.get("images").size());
        for (int i = 0; i < 4; i++) {
            JsonNode rec = json.readTree(lines.get(i));
            assertEquals(i, rec.get("index").asInt());
            String stem = rec.get("stem").asText();
            String city = stem.substring(0, stem.indexOf('_'));
            Path gt = out.resolve("gtFine/train").resolve(city);
            LabelMap train = Images.readLabel(gt.resolve(stem + "_gtFine_labelTrainIds.png"));
            LabelMap ids = Images.readLabel(gt.resolve(stem + "_gtFine_labelIds.png"));
            LabelMap ood = Images.readLabel(gt.resolve(stem + "_gtFine_ood.png"));
            long pasted = 0;
            for (int p = 0; p < ood.data().length; p++) {
                boolean o = ood.data()[p] == 1;
                assertEquals(o, train.data()[p] == 254, "trainIds 254 exactly on ood pixels");
                assertEquals(o, ids.data()[p] == 254, "labelIds 254 exactly on ood pixels");
                if (!o) {
                    assertEquals(train.data()[p] == 255, ood.data()[p] == 255, "void follows trainIds 255");
                }
                pasted += o ? 1 : 0;
            }
            long annotated = 0;
            for (JsonNode a : coco.get("annotations")) {
                if (a.get("image_id").asInt() == i + 1) {
                    Rle rle = Rle.fromCompressedString(a.get("segmentation").get("counts").asText(), ood.height(),
                            ood.width());
                    annotated += rle.area();
                    assertEquals(a.get("area").asLong(), rle.area());
                }
            }
            assertEquals(pasted, annotated, "the COCO masks cover exactly the pasted pixels");
            Map<String, String> text = Images.readPngText(out.resolve(rec.get("image").asText()));
            JsonNode prov = json.readTree(text.get("roadneg:provenance"));
            assertEquals("pebal", prov.get("recipe").asText());
            assertEquals(i, prov.get("item").asInt());
            assertTrue(prov.get("sources").get(0).asText().startsWith("coco:train2017:"));
            assertTrue(prov.get("environment") == null, "PNG chunks hold no environment: their bytes repeat");
        }
        JsonNode run = json.readTree(out.resolve(PasteJob.PROVENANCE_FILE).toFile());
        assertEquals("pebal", run.get("recipe").asText());
        assertEquals(System.getProperty("java.version"), run.get("environment").get("java").asText().split(" ")[0]);
        assertTrue(Files.size(r.preview()) > 0);
    }

    @Test
    void theImageDeflateChangesBytesNeverPixels() throws Exception {
        Path isal = dir.resolve("isal");
        Path zlib = dir.resolve("zlib");
        PasteJob.run(options("pebal", Map.of(), sample.resolve("cityscapes"), isal, 1, 4, 3), Progress.NONE);
        PasteJob.run(options("pebal", Map.of("output.pngCodec", "zlib"), sample.resolve("cityscapes"), zlib, 1, 4, 3),
                Progress.NONE);
        JsonNode run = new ObjectMapper().readTree(isal.resolve(PasteJob.RUN_FILE).toFile());
        assertEquals(io.roadneg.datasets.image.PngEncoder.rgbDeflate(1,
                io.roadneg.datasets.image.PngEncoder.Codec.ISAL), run.get("imageDeflate").asText());
        Map<String, byte[]> a = tree(isal);
        Map<String, byte[]> b = tree(zlib);
        assertEquals(a.keySet(), b.keySet());
        int images = 0;
        for (String f : a.keySet()) {
            if (f.endsWith("_leftImg8bit.png")) {
                images++;
                assertArrayEquals(Images.readRgb(isal.resolve(f)).data(), Images.readRgb(zlib.resolve(f)).data(), f);
            } else if (f.endsWith("_labelTrainIds.png") || f.endsWith("_ood.png")) {
                assertArrayEquals(Images.readLabel(isal.resolve(f)).data(), Images.readLabel(zlib.resolve(f)).data(),
                        "label maps do not depend on the image deflate: " + f);
            }
        }
        assertEquals(3, images);
    }

    @Test
    void anotherRunsFolderIsRefusedAndNothingIsLost() throws Exception {
        Path out = dir.resolve("run");
        PasteJob.run(options("pebal", Map.of(), sample.resolve("cityscapes"), out, 1, 1, 2), Progress.NONE);
        Map<String, byte[]> before = tree(out);
        InputException e = assertThrows(InputException.class, () -> PasteJob.run(options("pebal", Map.of(),
                sample.resolve("cityscapes"), out, 1, 2, 2), Progress.NONE));
        assertTrue(e.getMessage().contains("seed = 1") && e.getMessage().contains("another run's files"),
                e.getMessage());
        Map<String, byte[]> after = tree(out);
        assertEquals(before.keySet(), after.keySet());
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        InputException f = assertThrows(InputException.class, () -> PasteJob.run(options("pebal", Map.of(),
                sample.resolve("cityscapes"), foreign, 1, 1, 2), Progress.NONE));
        assertTrue(f.getMessage().contains("not empty"), f.getMessage());
    }

    @Test
    void aDamagedRecordOfAnEarlierRunIsNamedAndTheItemMadeAgainOnceItIsGone() throws Exception {
        Path cs = sample.resolve("cityscapes");
        Path out = dir.resolve("damaged");
        PasteJob.run(options("pebal", Map.of(), cs, out, 2, 4, 5), Progress.NONE);
        Map<String, byte[]> good = tree(out);
        Path rec = PasteJob.itemFile(out.resolve(PasteJob.ITEMS), 2);
        for (String bad : List.of("{\"index\":2,\"status\":\"made\", cut", "{\"index\":2,\"status\":\"made\"}",
                "{\"index\":3,\"status\":\"skipped\"}", "[]", "")) {
            Files.writeString(rec, bad);
            InputException e = assertThrows(InputException.class, () -> PasteJob.run(options("pebal", Map.of(), cs,
                    out, 2, 4, 5), Progress.NONE), bad);
            assertTrue(e.getMessage().contains(rec.toString()) && e.getMessage().contains("delete it"),
                    e.getMessage());
            try (Stream<Path> s = Files.walk(out)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList());
            }
        }
        Files.delete(rec);
        PasteJob.Result again = PasteJob.run(options("pebal", Map.of(), cs, out, 2, 4, 5), Progress.NONE);
        assertEquals(1, again.made());
        Map<String, byte[]> redone = tree(out);
        assertEquals(good.keySet(), redone.keySet());
        for (String k : good.keySet()) {
            assertArrayEquals(good.get(k), redone.get(k), k);
        }
    }

    @Test
    void badDestinationsAndRoadlessScenesAreReportedAndSkipped() throws Exception {
        Path cs = dir.resolve("cs");
        copy(sample.resolve("cityscapes"), cs);
        List<Path> images;
        try (Stream<Path> s = Files.walk(cs.resolve("leftImg8bit/train"))) {
            images = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        // frame 0: truncated image; frame 1: label of another size; frame 2: no road at all
        byte[] b = Files.readAllBytes(images.get(0));
        Files.write(images.get(0), Arrays.copyOf(b, b.length / 3));
        String s1 = images.get(1).getFileName().toString().replace("_leftImg8bit.png", "");
        Path lab1 = cs.resolve("gtFine/train").resolve(s1.substring(0, s1.indexOf('_'))).resolve(s1
                + "_gtFine_labelIds.png");
        Images.writePng(lab1, LabelMap.filled(10, 10, 7), 1, Map.of());
        String s2 = images.get(2).getFileName().toString().replace("_leftImg8bit.png", "");
        Path gt2 = cs.resolve("gtFine/train").resolve(s2.substring(0, s2.indexOf('_')));
        LabelMap noRoad = Images.readLabel(gt2.resolve(s2 + "_gtFine_labelIds.png"));
        for (int i = 0; i < noRoad.data().length; i++) {
            if (noRoad.data()[i] == 7) {
                noRoad.data()[i] = 8;
            }
        }
        Images.writePng(gt2.resolve(s2 + "_gtFine_labelIds.png"), noRoad, 1, Map.of());
        Files.delete(gt2.resolve(s2 + "_gtFine_labelTrainIds.png"));
        PasteJob.Result r = PasteJob.run(options("road-obstacles", Map.of(), cs, dir.resolve("out"), 2, 1, 6),
                Progress.NONE);
        assertEquals(Map.of("bad destination", 2, "no road", 1), r.skipped());
        assertEquals(3, r.made());
        assertTrue(r.problems().get(0).contains("truncated PNG"), r.problems().get(0));
        assertTrue(r.problems().get(1).contains("label size differs"), r.problems().get(1));
        assertEquals(6, Files.readAllLines(r.manifest()).size());
    }

    @Test
    void theWorkersAreBoundByTheItemsAndByWhatTheHeapHolds() {
        long px = 2048L * 1024; // a Cityscapes frame: 48 MiB a worker
        assertEquals(74, PasteJob.workers(150, 3000, px, 4L << 30), "(4 GiB - 512 MiB) / 48 MiB");
        assertEquals(150, PasteJob.workers(150, 3000, px, 8224L << 20), "the launcher's heap for 150 threads");
        assertEquals(2, PasteJob.workers(2, 24, px, 4L << 30));
        assertEquals(3, PasteJob.workers(8, 3, px, 4L << 30), "no more workers than items");
        assertEquals(1, PasteJob.workers(4, 0, px, 4L << 30), "a run with nothing left to make");
        assertEquals(1, PasteJob.workers(4, 100, px, 256L << 20), "a heap below the reserve still runs one");
        assertEquals(1, PasteJob.workers(4, 100, 60000L * 60000, 4L << 30));
        assertEquals(1, PasteJob.workers(4, 100, (1L << 31) * (1L << 31), 4L << 30), "a product of 2^62 saturates");
    }

    @Test
    void aThousandThreadsMakeTheSameBytesAsOne() throws Exception {
        Path cs = sample.resolve("cityscapes");
        List<String> notes = new java.util.ArrayList<>();
        PasteJob.run(options("pebal", Map.of(), cs, dir.resolve("one"), 1, 4, 5), Progress.NONE, notes::add);
        PasteJob.Result r = PasteJob.run(options("pebal", Map.of(), cs, dir.resolve("many"), 1000, 4, 5),
                Progress.NONE, notes::add);
        assertEquals(5, r.made());
        int cores = Runtime.getRuntime().availableProcessors();
        // small frames: every worker fits the heap; 5 workers (one an item), which is more than a small machine's cores
        assertEquals(cores >= 5 ? 0 : 1, notes.size(), notes.toString());
        notes.forEach(n -> assertTrue(n.startsWith("5 workers on " + cores + " cores: past the cores a worker adds "
                + "memory (about ") && n.endsWith(" MB), not speed"), n));
        assertSameTree(dir.resolve("one"), dir.resolve("many"));
    }

    @Test
    void outputsPerImageBeyondWhatARunCountsAreRefusedBeforeAnyWork() {
        PasteConfig c = Presets.load("pebal", null, Map.of());
        OutlierSource src = OutlierSources.open(c.source(), SourceContext.of(Map.of(), sample));
        PasteJob.Options o = new PasteJob.Options(c, Configs.toYaml(c), src, sample.resolve("cityscapes"), "train",
                null, 2_000_000_000, dir.resolve("out"), 2, 0);
        InputException e = assertThrows(InputException.class, () -> PasteJob.run(o, Progress.NONE));
        assertTrue(e.getMessage().contains("--per-image = 2000000000") && e.getMessage().contains("outputs, more than "
                + "a run makes"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("out").resolve("run.json")), "nothing written");
    }

    @Test
    void fewerWorkersThanAskedAreSaidInOneNote() throws Exception {
        Path cs = dir.resolve("cs");
        copy(sample.resolve("cityscapes"), cs);
        Path first;
        try (Stream<Path> s = Files.walk(cs.resolve("leftImg8bit/train"))) {
            first = s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        // the first frame declares 60000 x 60000 pixels: no heap holds two workers for such frames
        byte[] b = Files.readAllBytes(first);
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(60000).putInt(60000);
        Files.write(first, b);
        List<String> notes = new java.util.ArrayList<>();
        PasteJob.Result r = PasteJob.run(options("pebal", Map.of(), cs, dir.resolve("out"), 4, 1, 3), Progress.NONE,
                notes::add);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("--threads 4: the ") && notes.get(0).contains("holds 1 worker for "
                + "60000x60000 frames (about 82397 MB each)") && notes.get(0).contains("using 1"), notes.get(0));
        assertEquals(Map.of("bad destination", 1), r.skipped(), "the frame itself is refused as ever");
        assertEquals(2, r.made());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
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
