package io.roadneg.datasets.coco;

import com.fasterxml.jackson.core.JsonGenerator;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Provenance;
import io.roadneg.datasets.image.ImageLimits;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.datasets.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prepares the Meta-OOD COCO outlier set (the de facto COCO negatives of road anomaly segmentation): for every image
 * file of {@code {root}/{split}2017/} that the instances JSON lists, drop it when it contains an excluded category or is
 * smaller than the minimum size, else write the union of all its annotations (crowd ones too) as
 * {@link LabelValues#PASTED_OUTLIER} on 0 to {@code {out}/annotations/ood_seg_{split}2017/{image_id:012d}.png}.
 *
 * <p>Memory stays bounded on the 118k-image train split: one streaming pass over the annotations keeps only each
 * valid annotation's image index and byte span (16 bytes each, ~14 MB for train), then every kept image re-reads its
 * own annotations by span. Masks are rasterised and encoded on {@link Options#threads} threads; each image's bytes
 * depend only on its own annotations, so output is identical for any thread count.
 *
 * <p>Nothing is dropped silently: every image ends up kept or dropped with a {@link Reason}, listed in a manifest
 * {@code ood_seg_{split}2017_manifest.json} beside the mask folder. A rerun skips masks already present (writes are
 * atomic, so a present file is complete) and clears temp files a killed run left.
 */
public final class MetaOodPreparer {
    /** Default minimum height and width of a kept image, as in the Meta-OOD reference. */
    public static final int DEFAULT_MIN_SIZE = 480;

    private static final int PROGRESS_CHUNK = 10_000;

    /** Why an image was dropped. */
    public enum Reason {
        /** It contains an annotation of an excluded category. */
        EXCLUDED_CATEGORY("excluded category"),
        /** Its height or width is below the minimum size. */
        TOO_SMALL("too small"),
        /** Its declared width x height is over the pixel limit ({@link ImageLimits}). */
        TOO_LARGE("declared size over the pixel limit"),
        /** The JSON lists it but the image folder has no such file. */
        IMAGE_FILE_MISSING("listed in JSON but image file missing"),
        /** The image folder has the file but the JSON does not list it. */
        NOT_IN_JSON("file present but not in JSON"),
        /** One of its annotations could not be read or rasterised. */
        BROKEN_ANNOTATION("broken annotation");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** The reason in words, as printed and written to the manifest. */
        public String text() {
            return text;
        }
    }

    /**
     * What to prepare.
     *
     * @param cocoRoot folder holding {@code annotations/} and {@code {split}2017/}
     * @param split {@code train} or {@code val}
     * @param out output root; masks go to {@code annotations/ood_seg_{split}2017/} under it
     * @param excluded category names whose images are dropped
     * @param minSize minimum height and width
     * @param threads rasterise-and-encode threads (1 or more)
     */
    public record Options(Path cocoRoot, String split, Path out, List<String> excluded, int minSize, int threads) {
        /** Validates every field, naming it and the bad value. */
        public Options {
            if (cocoRoot == null) {
                throw new InputException(null, "cocoRoot", null, "is required");
            }
            if (!"train".equals(split) && !"val".equals(split)) {
                throw new InputException(null, "split", split, "must be train or val");
            }
            if (out == null) {
                throw new InputException(null, "out", null, "is required");
            }
            excluded = List.copyOf(excluded);
            if (minSize < 1) {
                throw new InputException(null, "minSize", minSize, "must be at least 1");
            }
            if (threads < 1) {
                throw new InputException(null, "threads", threads, "must be at least 1");
            }
        }

        /** The reference settings: Meta-OOD exclusion list, minimum size 480, 2 threads. */
        public static Options defaults(Path cocoRoot, String split, Path out) {
            return new Options(cocoRoot, split, out, CocoCategories.META_OOD_EXCLUDED, DEFAULT_MIN_SIZE, 2);
        }
    }

    /**
     * What a run did.
     *
     * @param kept images with a mask (new or already present)
     * @param written masks written by this run
     * @param alreadyPresent masks left as they were from an earlier run
     * @param dropped dropped images per reason (every reason present, zero when none)
     * @param problems one line per bad annotation or image, in file order
     * @param maskFolder the mask folder
     * @param manifest the manifest file
     */
    public record Result(int kept, int written, int alreadyPresent, Map<Reason, Integer> dropped,
            List<String> problems, Path maskFolder, Path manifest) {
        /** Total dropped images. */
        public int droppedTotal() {
            return dropped.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private MetaOodPreparer() {
    }

    /** The mask folder for a split under an output root. */
    public static Path maskFolder(Path out, String split) {
        return out.resolve("annotations").resolve("ood_seg_" + split + "2017");
    }

    /** The mask file of an image. */
    public static Path maskFile(Path out, String split, long imageId) {
        return maskFolder(out, split).resolve(String.format("%012d.png", imageId));
    }

    /** Runs the preparation; the mask folder is locked for the run, so a second run on it is refused. */
    public static Result run(Options o, Progress progress) {
        Path imageDir = o.cocoRoot().resolve(o.split() + "2017");
        if (!Files.isDirectory(imageDir)) {
            throw new InputException(imageDir, "cocoRoot", o.cocoRoot(), "has no " + o.split() + "2017 image folder");
        }
        try (OutputLock lock = OutputLock.acquire(maskFolder(o.out(), o.split()), "--out")) {
            return runLocked(o, imageDir, progress);
        }
    }

    private static Result runLocked(Options o, Path imageDir, Progress progress) {
        Path json = o.cocoRoot().resolve("annotations").resolve("instances_" + o.split() + "2017.json");
        progress.start("read COCO image table", -1);
        CocoInstancesReader reader = CocoInstancesReader.open(json);
        Set<Integer> excludedIds = resolveExcluded(reader, o.excluded());
        TreeSet<String> files = listFiles(imageDir);

        List<CocoImage> images = reader.images();
        int n = images.size();
        Map<Long, Integer> indexOf = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            indexOf.put(images.get(i).id(), i);
        }
        // pass 2: exclusion flags, per-image problems and the spans of every valid annotation
        BitSet excluded = new BitSet(n);
        Map<Integer, String> broken = new HashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        SpanIndex spans = new SpanIndex();
        progress.start("index annotations", -1);
        reader.forEachAnnotation(new CocoInstancesReader.AnnotationHandler() {
            private int seen;

            @Override
            public void annotation(CocoAnnotation a, AnnotationSpan span) {
                int idx = indexOf.get(a.imageId());
                if (excludedIds.contains(a.categoryId())) {
                    excluded.set(idx);
                }
                spans.add(idx, span);
                tick();
            }

            @Override
            public void problem(AnnotationProblem p) {
                problems.add(json.getFileName() + ": " + p.describe() + " (annotation skipped)");
                if (p.imageId() >= 0) {
                    broken.putIfAbsent(indexOf.get(p.imageId()), p.describe());
                }
                tick();
            }

            private void tick() {
                if (++seen % PROGRESS_CHUNK == 0) {
                    progress.step(PROGRESS_CHUNK);
                }
            }
        });

        Reason[] reason = new Reason[n];
        String[] detail = new String[n];
        List<Integer> kept = new ArrayList<>();
        long maxPixels = ImageLimits.maxPixels();
        for (int i = 0; i < n; i++) {
            CocoImage im = images.get(i);
            if (!files.contains(im.fileName())) {
                reason[i] = Reason.IMAGE_FILE_MISSING;
            } else if (excluded.get(i)) {
                reason[i] = Reason.EXCLUDED_CATEGORY;
            } else if (im.height() < o.minSize() || im.width() < o.minSize()) {
                reason[i] = Reason.TOO_SMALL;
                detail[i] = im.width() + "x" + im.height();
            } else if ((long) im.width() * im.height() > maxPixels) {
                reason[i] = Reason.TOO_LARGE;
                detail[i] = im.width() + "x" + im.height() + " is over " + maxPixels + " pixels";
                problems.add(json.getFileName() + ": image " + im.id() + ": size = " + detail[i] + " (image skipped)");
            } else if (broken.containsKey(i)) {
                reason[i] = Reason.BROKEN_ANNOTATION;
                detail[i] = broken.get(i);
            } else {
                kept.add(i);
            }
        }
        Set<String> listed = new HashSet<>(n * 2);
        for (CocoImage im : images) {
            listed.add(im.fileName());
        }
        List<String> notInJson = new ArrayList<>();
        for (String f : files) {
            if (!listed.contains(f)) {
                notInJson.add(f);
            }
        }

        Path maskDir = maskFolder(o.out(), o.split());
        clearTempFiles(maskDir);
        Provenance provenance = provenance(o);
        int[][] byImage = spans.groupByImage(n);
        boolean[] present = new boolean[n];
        try (CocoInstancesReader.Spans reread = reader.openSpans()) {
            progress.start("write Meta-OOD masks (" + o.split() + ")", kept.size());
            AtomicInteger next = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Runnable worker = () -> {
                int k;
                while (failure.get() == null && (k = next.getAndIncrement()) < kept.size()) {
                    int i = kept.get(k);
                    try {
                        Path target = maskFile(o.out(), o.split(), images.get(i).id());
                        if (Files.exists(target)) {
                            present[i] = true;
                        } else {
                            String bad = writeMask(images.get(i), byImage[i], spans, reread, target, provenance,
                                    o.split());
                            if (bad != null) {
                                reason[i] = Reason.BROKEN_ANNOTATION;
                                detail[i] = bad;
                                problems.add(json.getFileName() + ": image " + images.get(i).id() + ": " + bad
                                        + " (image skipped)");
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        // an Error (out of memory) too: a worker that dies silently would leave a mask unwritten
                        failure.compareAndSet(null, e);
                    }
                    progress.step(1);
                }
            };
            runOn(o.threads(), worker);
            Throwable f = failure.get();
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f != null) {
                throw new IllegalStateException("writing a mask failed: " + f, f);
            }
        } finally {
            progress.close();
        }

        Map<Reason, Integer> dropped = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            dropped.put(r, 0);
        }
        int keptCount = 0;
        int presentCount = 0;
        for (int i = 0; i < n; i++) {
            if (reason[i] == null && !Files.isRegularFile(maskFile(o.out(), o.split(), images.get(i).id()))) {
                // the manifest never claims a mask that is not on disk
                throw new IllegalStateException("mask of image " + images.get(i).id() + " was not written: "
                        + maskFile(o.out(), o.split(), images.get(i).id()));
            }
            if (reason[i] == null) {
                keptCount++;
                presentCount += present[i] ? 1 : 0;
            } else {
                dropped.merge(reason[i], 1, Integer::sum);
            }
        }
        dropped.merge(Reason.NOT_IN_JSON, notInJson.size(), Integer::sum);
        for (String f : notInJson) {
            problems.add(imageDir.getFileName() + "/" + f + ": " + Reason.NOT_IN_JSON.text() + " (file skipped)");
        }
        Path manifest = maskDir.resolveSibling(maskDir.getFileName() + "_manifest.json");
        writeManifest(manifest, provenance, dropped, keptCount, images, reason, detail, notInJson);
        return new Result(keptCount, keptCount - presentCount, presentCount, Collections.unmodifiableMap(dropped),
                List.copyOf(problems), maskDir, manifest);
    }

    private static Set<Integer> resolveExcluded(CocoInstancesReader reader, List<String> names) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (CocoCategory c : reader.categories()) {
            byName.put(c.name(), c.id());
        }
        Set<Integer> ids = new HashSet<>();
        for (String name : names) {
            Integer id = byName.get(name);
            if (id == null) {
                throw new InputException(reader.file(), "exclude", name,
                        "unknown category name; the file's categories are " + String.join(", ", byName.keySet()));
            }
            ids.add(id);
        }
        return ids;
    }

    private static TreeSet<String> listFiles(Path dir) {
        TreeSet<String> out = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(p)) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void clearTempFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, AtomicFiles.TEMP_PREFIX + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean temp files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The run's provenance; its recipe is the Meta-OOD filter as applied (split, excluded names, minimum size). */
    private static Provenance provenance(Options o) {
        String recipe = "meta-ood split=" + o.split() + " exclude=" + String.join(",", o.excluded()) + " min_size="
                + o.minSize() + " values=outlier " + LabelValues.PASTED_OUTLIER + ", background " + LabelValues.INLIER;
        return Provenance.run("gen prepare coco-ood", recipe, Sha256.of(recipe), null);
    }

    /** Writes one mask; returns a problem line instead when an annotation cannot be rasterised. */
    private static String writeMask(CocoImage im, int[] spanIds, SpanIndex spans, CocoInstancesReader.Spans reread,
            Path target, Provenance provenance, String split) {
        int h = im.height();
        int w = im.width();
        byte[] mask = new byte[h * w];
        for (int s : spanIds) {
            AnnotationSpan span = spans.span(s);
            CocoAnnotation a = reread.read(span);
            try {
                a.segmentation().toRle(h, w).paintRowMajor(mask, (byte) 1);
            } catch (IllegalArgumentException e) {
                return "annotations[" + span.index() + "].segmentation: " + e.getMessage();
            }
        }
        int[] data = new int[mask.length];
        for (int p = 0; p < mask.length; p++) {
            data[p] = mask[p] != 0 ? LabelValues.PASTED_OUTLIER : LabelValues.INLIER;
        }
        Provenance item = provenance.forItem(im.fileName(), null, List.of(String.format("coco:%s2017:%012d", split,
                im.id()))).reproducible();
        Images.writePng(target, new LabelMap(w, h, data), Images.DEFAULT_PNG_LEVEL, Map.of(Provenance.PNG_KEY,
                item.toJson()));
        return null;
    }

    private static void runOn(int threads, Runnable worker) {
        if (threads == 1) {
            worker.run();
            return;
        }
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(worker, "meta-ood-" + t);
            th.start();
            started.add(th);
        }
        for (Thread th : started) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing masks", e);
            }
        }
    }

    private static void writeManifest(Path manifest, Provenance provenance, Map<Reason, Integer> dropped,
            int kept, List<CocoImage> images, Reason[] reason, String[] detail, List<String> notInJson) {
        // one row per file name, JSON images and stray files merged in name order, so reruns diff cleanly
        TreeMap<String, Integer> rows = new TreeMap<>();
        for (int i = 0; i < images.size(); i++) {
            rows.put(images.get(i).fileName(), i);
        }
        for (String f : notInJson) {
            rows.put(f, -1);
        }
        AtomicFiles.write(manifest, out -> {
            try (JsonGenerator g = JsonStreams.MAPPER.getFactory().createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeFieldName("provenance");
                g.writeRawValue(provenance.toJson());
                g.writeObjectFieldStart("counts");
                g.writeNumberField("kept", kept);
                for (Map.Entry<Reason, Integer> e : dropped.entrySet()) {
                    g.writeNumberField(e.getKey().text(), e.getValue());
                }
                g.writeEndObject();
                g.writeArrayFieldStart("images");
                for (Map.Entry<String, Integer> row : rows.entrySet()) {
                    int i = row.getValue();
                    g.writeRaw('\n');
                    g.writeStartObject();
                    g.writeStringField("file_name", row.getKey());
                    if (i >= 0) {
                        g.writeNumberField("image_id", images.get(i).id());
                    }
                    Reason r = i >= 0 ? reason[i] : Reason.NOT_IN_JSON;
                    g.writeStringField("status", r == null ? "kept" : "dropped");
                    if (r != null) {
                        g.writeStringField("reason", r.text());
                    }
                    if (i >= 0 && detail[i] != null) {
                        g.writeStringField("detail", detail[i]);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
            }
        });
    }

    /** Image index and byte span of every valid annotation, in primitive arrays. */
    private static final class SpanIndex {
        private int size;
        private int[] image = new int[1024];
        private int[] annIndex = new int[1024];
        private long[] offset = new long[1024];
        private int[] length = new int[1024];

        void add(int imageIdx, AnnotationSpan s) {
            if (size == image.length) {
                int cap = size * 2;
                image = Arrays.copyOf(image, cap);
                annIndex = Arrays.copyOf(annIndex, cap);
                offset = Arrays.copyOf(offset, cap);
                length = Arrays.copyOf(length, cap);
            }
            image[size] = imageIdx;
            annIndex[size] = s.index();
            offset[size] = s.offset();
            length[size] = s.length();
            size++;
        }

        AnnotationSpan span(int s) {
            return new AnnotationSpan(annIndex[s], offset[s], length[s]);
        }

        /** For each image, the ids of its spans in file order (a counting sort; no per-annotation objects). */
        int[][] groupByImage(int images) {
            int[] count = new int[images];
            for (int s = 0; s < size; s++) {
                count[image[s]]++;
            }
            int[][] out = new int[images][];
            for (int i = 0; i < images; i++) {
                out[i] = new int[count[i]];
            }
            int[] fill = new int[images];
            for (int s = 0; s < size; s++) {
                int i = image[s];
                out[i][fill[i]++] = s;
            }
            return out;
        }
    }
}
