package io.roadneg.generators;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.Futures;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Names;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Provenance;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.datasets.image.ImageHeaders;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.PngEncoder;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.RunFolders;
import io.roadneg.datasets.io.Sha256;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.datasets.io.Roots;
import io.roadneg.pasting.Compositor;
import io.roadneg.pasting.PasteResult;
import io.roadneg.pasting.PastedInstance;
import io.roadneg.pasting.Placement;
import io.roadneg.pasting.RoadGeometry;
import io.roadneg.pasting.Scene;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Builds an outlier set: for each item, plan (seeded by run seed and item index), composite, and write a
 * Cityscapes-layout output atomically, then a per-item record. Items with a record are done, so a killed run resumes
 * where it stopped; at the end the records are assembled, in item order, into the manifest, the COCO JSON of the
 * pasted objects and a preview sheet. Outputs are byte-identical for any thread count.
 */
public final class PasteJob {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** Folder of per-item records inside the output. */
    public static final String ITEMS = ".items";
    /** The run fingerprint file. */
    public static final String RUN_FILE = "run.json";
    /** The provenance of the run that last completed the set (with its environment). */
    public static final String PROVENANCE_FILE = "provenance.json";
    /**
     * The items that still need a thumbnail. The preview sheet shows the first {@code output.preview} made items
     * with objects, by index; an item needs one only while fewer than that many items before it have one (written by
     * this process or found from an earlier one), so the sheet is the same whatever the thread count and a worker
     * draws no thumbnail the sheet would not show (beyond the few a parallel run finishes out of order).
     */
    static final class Thumbs {
        private final int wanted;
        private final java.util.concurrent.ConcurrentSkipListSet<Integer> written =
                new java.util.concurrent.ConcurrentSkipListSet<>();

        Thumbs(int wanted, Path items) {
            this.wanted = wanted;
            if (Files.isDirectory(items)) {
                try (java.util.stream.Stream<Path> s = Files.list(items)) {
                    s.mapToInt(p -> Preview.thumbIndex(p.getFileName().toString())).filter(i -> i >= 0)
                            .forEach(written::add);
                } catch (IOException e) {
                    // unlisted earlier thumbnails only mean a few drawn again; the item files report real I/O errors
                }
            }
        }

        boolean needed(int index) {
            return written.headSet(index).size() < wanted;
        }

        void written(int index) {
            written.add(index);
        }

        /**
         * Removes the thumbnails the sheet does not show (a parallel run draws a few out of order), so the item
         * folder is the same whatever the thread count.
         */
        void removeAllBut(List<Integer> shown, Path items) {
            for (int i : written) {
                if (!shown.contains(i)) {
                    try {
                        Files.deleteIfExists(Preview.thumbFile(items, i));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    private PasteJob() {
    }

    /**
     * What to run.
     *
     * @param config the recipe
     * @param configYaml the recipe as YAML, for provenance
     * @param source the outlier source (opened by the caller)
     * @param cityscapesRoot destination Cityscapes root
     * @param split destination split
     * @param count number of outputs (cycling over destinations), or null to use {@code perImage}
     * @param perImage outputs per destination frame when {@code count} is null
     * @param out output root
     * @param threads worker threads
     * @param seed run seed
     */
    public record Options(PasteConfig config, String configYaml, OutlierSource source, Path cityscapesRoot,
            String split, Integer count, Integer perImage, Path out, int threads, long seed) {
        public Options {
            if (count != null && count < 1) {
                throw new InputException(null, "--count", count, "must be at least 1");
            }
            if (count == null && (perImage == null || perImage < 1)) {
                throw new InputException(null, "--per-image", perImage, "must be at least 1");
            }
            if (threads < 1) {
                throw new InputException(null, "--threads", threads, "must be at least 1");
            }
            Roots.name(split, null, "--split");
        }
    }

    /**
     * What a run did.
     *
     * @param total outputs asked for
     * @param made outputs written by this run
     * @param alreadyDone outputs found complete from an earlier run
     * @param skipped skipped outputs per reason (this run and earlier ones)
     * @param problems one line per skipped item
     * @param objects pasted objects in the whole set
     * @param out output root
     * @param manifest manifest file
     * @param cocoJson COCO instances JSON of the pasted objects
     * @param preview preview sheet, or null
     */
    public record Result(int total, int made, int alreadyDone, Map<String, Integer> skipped, List<String> problems,
            long objects, Path out, Path manifest, Path cocoJson, Path preview) {
    }

    /**
     * Heap a paste worker may hold, per pixel of its destination frames: the frame-sized arrays it keeps from item to
     * item (the image, the three label maps, the codec's row buffers) and those of the item it is making. Measured at
     * 2048x1024: about 40 MB a worker with 16 workers, 22 MB with 80 (the peaks after collections, 690 MB and 1.8 GB);
     * 24 bytes a pixel (50 MB) leaves room for a collection's copying.
     */
    static final long WORKER_BYTES_PER_PIXEL = 24;
    /** Heap kept for what is not the workers': the source's index, the run's files, thumbnails, spare frames. */
    static final long HEAP_RESERVE = 512L << 20;

    /**
     * The workers a run starts: {@code threads}, but no more than the {@code items} to make and than the heap
     * ({@code heapBytes}, {@link Runtime#maxMemory()}) holds with frames of {@code framePixels} pixels; at least one.
     */
    public static int workers(int threads, int items, long framePixels, long heapBytes) {
        long perWorker = workerBytes(framePixels);
        long fit = Math.max(1, (heapBytes - HEAP_RESERVE) / perWorker);
        return (int) Math.max(1, Math.min(Math.min(threads, Math.max(1, items)), fit));
    }

    /** The heap a worker may hold with frames of {@code framePixels} pixels (saturating: a header may declare 2^62). */
    static long workerBytes(long framePixels) {
        return Math.max(1, Math.min(framePixels, Long.MAX_VALUE / WORKER_BYTES_PER_PIXEL)) * WORKER_BYTES_PER_PIXEL;
    }

    /** Runs the job. */
    public static Result run(Options o, Progress progress) {
        return run(o, progress, note -> { });
    }

    /**
     * Runs the job; {@code notes} gets a line for the user when the run does other than asked in a way that does not
     * change its outputs (fewer workers than {@code --threads} because the heap holds no more), or when more workers
     * than cores will cost memory and no speed.
     */
    public static Result run(Options o, Progress progress, java.util.function.Consumer<String> notes) {
        OpenCv.ensureLoaded();
        org.opencv.core.Core.setNumThreads(1); // parallelism is over items; keep OpenCV's own pool out of the way
        CityscapesDataset ds = CityscapesDataset.open(o.cityscapesRoot());
        List<CityscapesFrame> frames = ds.labelledFrames(o.split());
        if (frames.isEmpty()) {
            throw new InputException(o.cityscapesRoot(), "split", o.split(), "has no labelled frames");
        }
        if (o.source().size() == 0) {
            throw new InputException(null, "source", o.source().name(), "has no items");
        }
        long asked = o.count() != null ? o.count() : (long) frames.size() * o.perImage();
        if (asked > Integer.MAX_VALUE) {
            throw new InputException(null, "--per-image", o.perImage(), frames.size() + " frames x " + o.perImage()
                    + " = " + asked + " outputs, more than a run makes (" + Integer.MAX_VALUE + ")");
        }
        int total = (int) asked;
        try (OutputLock lock = OutputLock.acquire(o.out(), "--out")) {
            claimOutput(o, frames.size());
            cleanTemps(o.out());
            return make(o, frames, total, progress, notes);
        }
    }

    /**
     * {width, height} the first frame's image declares (its header only), or a Cityscapes frame's when it cannot be
     * read: the size the workers' buffers are planned for.
     */
    static long[] frameSize(CityscapesFrame first) {
        byte[] head;
        try (java.io.InputStream in = Files.newInputStream(first.imagePath())) {
            head = in.readNBytes(64); // a PNG's IHDR is in its first 33 bytes
        } catch (IOException e) {
            head = new byte[0]; // the item that reads it reports the file; plan for a Cityscapes frame
        }
        long[] size = ImageHeaders.declaredSize(head);
        return size != null && size[0] > 0 && size[1] > 0 ? size : new long[] {2048, 1024};
    }

    private static Result make(Options o, List<CityscapesFrame> frames, int total, Progress progress,
            java.util.function.Consumer<String> notes) {
        Path items = o.out().resolve(ITEMS);
        Compositor compositor = new Compositor(o.config().labels().outlierTrainId(),
                o.config().labels().outlierLabelId());
        PastePlanner planner = new PastePlanner(o.config(), o.source());
        String configHash = Sha256.of(o.configYaml());

        progress.start("paste " + o.config().name(), total);
        int already = 0;
        List<Integer> todo = new ArrayList<>();
        BitSet earlier = new BitSet(total);
        for (int i = 0; i < total; i++) {
            if (Files.exists(itemFile(items, i))) {
                already++;
                earlier.set(i);
            } else {
                todo.add(i);
            }
        }
        progress.step(already);
        Thumbs thumbs = new Thumbs(o.config().output().preview(), items);
        long heap = Runtime.getRuntime().maxMemory();
        long[] size = frameSize(frames.get(0));
        int workers = workers(o.threads(), todo.size(), size[0] * size[1], heap);
        long workerMb = workerBytes(size[0] * size[1]) >> 20;
        if (workers < Math.min(o.threads(), todo.size())) {
            notes.accept(String.format(java.util.Locale.ROOT, "--threads %d: the %.1f GB heap holds %d worker%s for "
                    + "%dx%d frames (about %d MB each); using %d (a larger heap: GEN_HEAP=16g gen paste ...)",
                    o.threads(), heap / (double) (1L << 30), workers, workers == 1 ? "" : "s", size[0], size[1],
                    workerMb, workers));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (workers > cores) {
            // not refused (a slow file system may want them), but said: 150 workers on 2 cores took twice the time
            // of 2 and 19 times the memory
            notes.accept(String.format(java.util.Locale.ROOT, "%d workers on %d core%s: past the cores a worker "
                    + "adds memory (about %d MB), not speed", workers, cores, cores == 1 ? "" : "s", workerMb));
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "paste-worker");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(2 * workers);
        // items whose task ended (made, skipped or failed): wakes this thread to take in records while it waits
        BlockingQueue<Integer> ended = new LinkedBlockingQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger madeNow = new java.util.concurrent.atomic.AtomicInteger();
        try (RunAssembly assembly = new RunAssembly(o, total, configHash, earlier)) {
            try {
                assembly.advance();
                for (int i : todo) {
                    while (!inFlight.tryAcquire()) {
                        awaitAnItem(ended, futures, assembly);
                    }
                    CityscapesFrame frame = frames.get(o.count() != null ? i % frames.size() : i / o.perImage());
                    futures.add(pool.submit(() -> {
                        try {
                            if (runItem(o, i, frame, planner, compositor, configHash, thumbs, assembly)) {
                                madeNow.incrementAndGet();
                            }
                            progress.step(1);
                        } finally {
                            inFlight.release();
                            ended.add(i);
                        }
                        return null;
                    }));
                    surfaceFailures(futures);
                    assembly.advance();
                }
                while (!assembly.complete()) {
                    awaitAnItem(ended, futures, assembly);
                }
                for (Future<?> f : futures) {
                    Futures.get(f);
                }
            } catch (RuntimeException | Error e) {
                stopWorkers(pool);
                // the items finished before the failure keep their records: a resumed run does not make them again
                try {
                    assembly.keepRecords();
                } catch (RuntimeException kept) {
                    e.addSuppressed(kept);
                }
                throw e;
            } finally {
                stopWorkers(pool);
                progress.close();
            }
            AtomicFiles.write(o.out().resolve(PROVENANCE_FILE), (runProvenance(o, configHash).toJson() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            return assembly.finish(madeNow.get(), already, thumbs);
        }
    }

    /** Stops the workers and waits for them: a failed run returns only when no worker is still writing. */
    private static void stopWorkers(ExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until an item's task ends, then surfaces a failed task's error and takes in the records now ready. When
     * every task has ended and the record the assembly waits for never came, that item's task failed: its error is
     * thrown.
     */
    private static void awaitAnItem(BlockingQueue<Integer> ended, List<Future<?>> futures, RunAssembly assembly) {
        try {
            Integer any = ended.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (any != null) {
                ended.clear(); // one wake-up for all the tasks that ended meanwhile: advance takes in every record
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the paste workers", e);
        }
        surfaceFailures(futures);
        if (!assembly.advance() && futures.isEmpty() && ended.isEmpty() && !assembly.complete()) {
            throw new IllegalStateException("item " + assembly.waitingFor() + " ended without a record");
        }
    }

    /** Throws the error of the first failed task among those ended; forgets the tasks that succeeded. */
    private static void surfaceFailures(List<Future<?>> futures) {
        futures.removeIf(f -> {
            if (!f.isDone()) {
                return false;
            }
            Futures.get(f);
            return true;
        });
    }

    static Path itemFile(Path items, long index) {
        return items.resolve(Names.zeroPad(index, 6) + ".json");
    }

    /**
     * Claims the output folder: a new or empty folder gets the run fingerprint; a folder with the same fingerprint is
     * resumed; anything else is refused, so one run never mixes into another's files.
     */
    private static void claimOutput(Options o, int frames) {
        ObjectNode run = JSON.createObjectNode();
        run.put("tool", "roadneg gen paste");
        run.put("recipe", o.config().name());
        run.put("configSha256", Sha256.of(o.configYaml()));
        run.put("seed", o.seed());
        run.put("source", o.source().name());
        run.put("sourceItems", o.source().size());
        run.put("destinationSplit", o.split());
        run.put("destinationFrames", frames);
        // the photographs' deflate: a run is not resumed with another one (same pixels, other bytes)
        run.put("imageDeflate", PngEncoder.rgbDeflate(o.config().output().pngLevel(), o.config().output().codec()));
        if (o.count() != null) {
            run.put("count", o.count());
        } else {
            run.put("perImage", o.perImage());
        }
        Path f = o.out().resolve(RUN_FILE);
        try {
            run = (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(run)); // same number node types as a file read
            if (Files.exists(f)) {
                RunFolders.refuseAnother(f, JSON.readTree(f.toFile()), run, List.of(), "use a new --out or delete "
                        + "the folder");
                return;
            }
            RunFolders.refuseUnknown(o.out(), RUN_FILE);
            AtomicFiles.write(f, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(run));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cleanTemps(Path out) {
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Output stem of item {@code index}: the Cityscapes pattern with the item index as sequence number. */
    static String stem(CityscapesFrame frame, long index) {
        StringBuilder sb = new StringBuilder(32).append(frame.id().city()).append('_');
        Names.appendZeroPadded(sb, index, 6).append('_');
        return Names.appendZeroPadded(sb, frame.id().frame(), 6).toString();
    }

    /** Makes one item; false when it was skipped (and recorded as such). */
    private static boolean runItem(Options o, int index, CityscapesFrame frame, PastePlanner planner,
            Compositor compositor, String configHash, Thumbs thumbs, RunAssembly assembly) throws IOException {
        Path items = o.out().resolve(ITEMS);
        ObjectNode rec = JSON.createObjectNode();
        rec.put("index", index);
        rec.put("destination", frame.id().stem());
        rec.put("destinationSplit", frame.split());
        Scene scene;
        ItemBuffers buffers = BUFFERS.get();
        try {
            scene = loadScene(frame, buffers);
        } catch (InputException | IllegalArgumentException e) {
            skip(rec, "bad destination", e.getMessage(), assembly);
            return false;
        }
        PastePlanner.Planned planned;
        try {
            planned = planner.plan(o.seed(), index, frame.id().stem(), frame.split(), scene);
        } catch (RoadGeometry.NoRoadException e) {
            skip(rec, "no road", frame.id().stem() + ": " + e.getMessage(), assembly);
            return false;
        } catch (PastePlanner.NoUsableObjectException e) {
            skip(rec, "no usable object", e.getMessage(), assembly);
            return false;
        } catch (InputException e) {
            skip(rec, "bad source", e.getMessage(), assembly);
            return false;
        }
        // the scene was read for this item alone: paint into its buffers instead of copying them
        PasteResult r = compositor.applyInPlaceWithoutOod(scene, planned.objects(), planned.plan().placements());
        buffers.keep(r);
        String stem = stem(frame, index);
        String split = o.split();
        String city = frame.id().city();
        Path img = o.out().resolve("leftImg8bit").resolve(split).resolve(city).resolve(stem + "_leftImg8bit.png");
        Path gt = o.out().resolve("gtFine").resolve(split).resolve(city);
        Map<String, String> prov = provenance(o, planned, configHash);
        int level = o.config().output().pngLevel();
        Images.writePng(img, r.image(), level, o.config().output().codec(), prov);
        Images.writePng(gt.resolve(stem + "_gtFine_labelTrainIds.png"), r.trainIds(), level, prov);
        if (r.labelIds() != null) {
            Images.writePng(gt.resolve(stem + "_gtFine_labelIds.png"), r.labelIds(), level, prov);
        }
        if (r.instanceIds() != null) {
            Images.writePng16(gt.resolve(stem + "_gtFine_instanceIds.png"), r.instanceIds(), level, prov);
        }
        // the anomaly labels straight from the painted train ids, row by row (never stored whole)
        Images.writePng(gt.resolve(stem + "_gtFine_ood.png"), r.trainIds(), compositor.oodRows(), level, prov);

        // the preview still wants this item's thumbnail: the calling thread draws it (RunAssembly), from the frame
        // handed over with the anomaly labels it samples; the worker reads its next frame into a spare array
        Preview.Frame made = null;
        if (!r.instances().isEmpty() && thumbs.needed(index)) {
            made = new Preview.Frame(r.image(), Preview.labels(r.trainIds(), compositor.oodRows()));
            buffers.image = assembly.spareImage(r.image().data().length);
            thumbs.written(index);
        }
        rec.put("status", "made");
        rec.put("stem", stem);
        rec.put("image", o.out().relativize(img).toString());
        rec.put("width", scene.width());
        rec.put("height", scene.height());
        rec.put("unusableDraws", planned.unusableDraws());
        rec.set("plan", JSON.valueToTree(planned.plan()));
        ArrayNode inst = rec.putArray("instances");
        for (PastedInstance pi : r.instances()) {
            ObjectNode n = inst.addObject();
            n.put("placement", pi.placementIndex());
            n.put("sourceId", pi.sourceId());
            n.put("categoryId", pi.categoryId());
            n.put("categoryName", pi.categoryName());
            n.put("area", pi.visible().area());
            ArrayNode bbox = n.putArray("bbox");
            for (double v : pi.visible().bbox()) {
                bbox.add((long) v);
            }
            n.put("counts", pi.visible().toCompressedString());
        }
        // the record (and the thumbnail's file) is written by the calling thread, which takes it in (RunAssembly)
        assembly.made(index, rec, made);
        return true;
    }

    private static void skip(ObjectNode rec, String reason, String detail, RunAssembly assembly) {
        if (Thread.currentThread().isInterrupted()) {
            // the run is stopping (another item failed, or the run was killed): a read cut short by the interrupt
            // is no verdict on the item, and its record would make every resumed run skip the item for good
            throw new java.util.concurrent.CancellationException("stopped while making item "
                    + rec.get("index").asInt() + " (" + reason + ": " + detail + ")");
        }
        rec.put("status", "skipped");
        rec.put("reason", reason);
        rec.put("detail", detail);
        assembly.made(rec.get("index").asInt(), rec, null);
    }

    /**
     * A worker's frame-sized arrays, decoded into item after item: a 2048x1024 item would otherwise allocate some
     * 40 MB of large arrays, each a humongous allocation for the collector, and two workers would double that churn.
     * An item's arrays are free again once its files are written, before the worker takes the next item.
     */
    private static final class ItemBuffers {
        byte[] image;
        byte[] train;
        byte[] labels;
        byte[] inst;

        /**
         * Keeps the arrays of the result (the decoders' or new ones of another size) for the next item; the label
         * maps are read and kept as their PNG samples ({@link Images#readLabelCompact}: 8-bit train and label ids,
         * 16-bit instance ids), a map stored otherwise is not kept.
         */
        void keep(PasteResult r) {
            image = r.image().data();
            train = samples(r.trainIds(), train);
            labels = samples(r.labelIds(), labels);
            inst = samples(r.instanceIds(), inst);
        }

        private static byte[] samples(LabelMap m, byte[] old) {
            byte[] b = m == null ? null : m.bytes() != null ? m.bytes() : m.bytes16();
            return b != null ? b : old;
        }
    }

    /** Per worker thread; the job's threads end with the job, and their buffers with them. */
    private static final ThreadLocal<ItemBuffers> BUFFERS = ThreadLocal.withInitial(ItemBuffers::new);

    private static Scene loadScene(CityscapesFrame frame, ItemBuffers b) {
        RgbImage image = Images.readRgb(frame.imagePath(), b.image);
        // the label maps as their PNG samples: decoded, painted and encoded again without widening every value
        LabelMap train = Files.exists(frame.trainIdsPath()) ? Images.readLabelCompact(frame.trainIdsPath(), b.train)
                : frame.trainIds();
        LabelMap labels = Files.exists(frame.labelIdsPath()) ? Images.readLabelCompact(frame.labelIdsPath(),
                b.labels) : null;
        LabelMap inst = Files.exists(frame.instanceIdsPath()) ? Images.readLabelCompact(frame.instanceIdsPath(),
                b.inst) : null;
        checkSize(frame.trainIdsPath().getFileName().toString(), image, train, frame);
        if (labels != null) {
            checkSize(frame.labelIdsPath().getFileName().toString(), image, labels, frame);
        }
        if (inst != null) {
            checkSize(frame.instanceIdsPath().getFileName().toString(), image, inst, frame);
        }
        return new Scene(image, train, labels, inst);
    }

    private static void checkSize(String name, RgbImage img, LabelMap m, CityscapesFrame frame) {
        if (m.width() != img.width() || m.height() != img.height()) {
            throw new InputException(frame.imagePath(), name, m.width() + "x" + m.height(),
                    "label size differs from the image's " + img.width() + "x" + img.height());
        }
    }

    /** The output's provenance (reproducible form: recipe, seed, item, destination, source items). */
    private static Map<String, String> provenance(Options o, PastePlanner.Planned p, String configHash) {
        Provenance item = runProvenance(o, configHash).forItem(String.valueOf(p.plan().index()),
                p.plan().destination(), p.plan().placements().stream().map(Placement::sourceItem).toList());
        return Map.of(Provenance.PNG_KEY, item.reproducible().toJson());
    }

    private static Provenance runProvenance(Options o, String configHash) {
        return Provenance.run("gen paste", o.config().name(), configHash, o.seed());
    }
}
