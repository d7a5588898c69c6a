package io.roadneg.generators;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run-level files of a paste job, built from the item records in item order while the workers still make later
 * items: {@code manifest.jsonl} (one record a line), the COCO instances JSON of the pasted objects and the preview
 * sheet. The job's calling thread has nothing else to do while it waits for its workers, so it reads each record as
 * soon as the record and all before it exist; a one-worker run no longer ends with a pass over every record (read
 * three times) and the thumbnails (decoded again), which took 50-60 ms of every run.
 *
 * <p>The manifest and the COCO JSON grow in temp files beside their targets (the COCO annotations in a second one,
 * since the images come first in the file) and are renamed into place by {@link #finish}; a failed run deletes them
 * ({@link #close}). Records made by this run are handed over in memory ({@link #made}) and written to their files
 * here, as they are taken in; those of an earlier run are read from their files. The sheet is written as soon as its
 * last thumbnail is known. The bytes are those of a pass over the finished folder: the same whatever the thread
 * count, and on a resumed run.
 */
final class RunAssembly implements AutoCloseable {
    private final PasteJob.Options o;
    private final Path items;
    private final int total;
    private final int previewSize;
    private final BitSet earlier;
    private final Map<Integer, JsonNode> fresh = new ConcurrentHashMap<>();
    private final Map<Integer, Preview.Frame> freshThumbs = new ConcurrentHashMap<>();
    /**
     * Image arrays of frames whose thumbnails this thread has drawn, for the workers' next items ({@link
     * #spareImage}): a worker that hands a frame over reads its next one into one of these, not into a new array.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Most arrays {@link #spare} keeps. */
    private static final int SPARE_ARRAYS = 4;
    private final Path manifest;
    private final Path coco;
    private final List<Path> temps = new ArrayList<>();
    private final Path manifestTemp;
    private final Path cocoTemp;
    private final Path annotationsTemp;
    private final OutputStream manifestOut;
    private final OutputStream cocoOut;
    private final JsonGenerator images;
    private final OutputStream annotationsOut;
    private final JsonGenerator annotations;
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Integer> previewItems = new ArrayList<>();
    private final List<RgbImage> previewThumbs = new ArrayList<>();
    private Path preview;
    private long objects;
    private long annotationId = 1;
    private int next;
    private boolean finished;

    /**
     * Opens the temp files. {@code earlier} marks the items whose records an earlier run left (read from their
     * files); every other item's record must come through {@link #made}.
     */
    RunAssembly(PasteJob.Options o, int total, String configHash, BitSet earlier) {
        this.o = o;
        this.items = o.out().resolve(PasteJob.ITEMS);
        this.total = total;
        this.previewSize = o.config().output().preview();
        this.earlier = earlier;
        this.manifest = o.out().resolve("manifest.jsonl");
        this.coco = o.out().resolve("annotations").resolve("outliers_" + o.split() + ".json");
        try {
            manifestTemp = temp(manifest);
            manifestOut = new BufferedOutputStream(Files.newOutputStream(manifestTemp, StandardOpenOption.CREATE_NEW),
                    1 << 16);
            cocoTemp = temp(coco);
            cocoOut = Files.newOutputStream(cocoTemp, StandardOpenOption.CREATE_NEW);
            annotationsTemp = temp(coco.resolveSibling(coco.getFileName() + ".annotations"));
            annotationsOut = Files.newOutputStream(annotationsTemp, StandardOpenOption.CREATE_NEW);
            images = PasteJob.JSON.getFactory().createGenerator(cocoOut);
            images.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            images.writeStartObject();
            images.writeObjectFieldStart("info");
            images.writeStringField("description", "pasted outliers made by roadneg gen paste");
            images.writeStringField("recipe", o.config().name());
            images.writeStringField("configSha256", configHash);
            images.writeNumberField("seed", o.seed());
            images.writeEndObject();
            images.writeArrayFieldStart("images");
            // the annotations as a run of top-level values joined by commas: the elements of the file's array
            annotations = PasteJob.JSON.getFactory().createGenerator(annotationsOut);
            annotations.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            annotations.setRootValueSeparator(new SerializedString(","));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start the run's files in " + o.out() + ": " + e.getMessage(), e);
        }
    }

    private Path temp(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        AtomicFiles.ensureDirectory(abs.getParent());
        Path t = abs.resolveSibling(AtomicFiles.TEMP_PREFIX + abs.getFileName() + "." + temps.size());
        Files.deleteIfExists(t); // a leftover of a killed run (the output folder is locked: no one else writes it)
        temps.add(t);
        return t;
    }

    /**
     * Hands over the record of item {@code index} once its image and label files are written, with its frame when
     * the preview wants its thumbnail (any thread; the frame's arrays are this object's from now on). The thumbnail
     * is drawn, and the record's file (what marks the item done for a resumed run) and the thumbnail's are written, by
     * the thread that takes the record in ({@link #advance}, or {@link #keepRecords} after a failure): a worker goes on
     * with its next item meanwhile, and the record is serialized once, for its file and its manifest line alike.
     */
    void made(int index, JsonNode record, Preview.Frame frame) {
        if (frame != null) {
            freshThumbs.put(index, frame);
        }
        fresh.put(index, record);
    }

    /**
     * An image array of {@code length} bytes that a handed-over frame no longer needs, or null (the worker's decoder
     * then makes a new one).
     */
    byte[] spareImage(int length) {
        for (byte[] b; (b = spare.poll()) != null; ) {
            if (b.length == length) {
                return b;
            }
        }
        return null;
    }

    /** The thumbnail of a handed-over frame (null: none), its image array then spare. */
    private RgbImage thumbnail(Preview.Frame frame, boolean wanted) {
        if (frame == null) {
            return null;
        }
        RgbImage thumb = wanted ? frame.thumbnail() : null;
        if (spare.size() < SPARE_ARRAYS) {
            spare.offer(frame.image().data());
        }
        return thumb;
    }

    /** Takes in every record that is ready in item order from where it stopped; true when it took any. */
    boolean advance() {
        int from = next;
        while (next < total && (earlier.get(next) || fresh.containsKey(next))) {
            boolean isFresh = !earlier.get(next);
            JsonNode rec = isFresh ? fresh.get(next) : read(next);
            take(next, rec, isFresh);
            if (isFresh) {
                fresh.remove(next);
            }
            next++;
        }
        return next > from;
    }

    /**
     * After a failed run: writes the files of every record handed over and not yet taken in (and of the thumbnails
     * drawn for them), in any order, so the items finished before the failure are not made again by a resumed run.
     */
    void keepRecords() {
        try {
            for (Map.Entry<Integer, JsonNode> e : new TreeMap<>(fresh).entrySet()) {
                writeItem(e.getKey(), PasteJob.JSON.writeValueAsBytes(e.getValue()),
                        thumbnail(freshThumbs.remove(e.getKey()), true));
                fresh.remove(e.getKey());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the item records in " + items + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes an item's thumbnail (none: null), then its record: the record's file marks the item done, thumbnail
     * included, for a resumed run.
     */
    private void writeItem(int index, byte[] record, RgbImage thumb) {
        if (thumb != null) {
            Preview.writeThumb(items, index, thumb);
        }
        AtomicFiles.write(PasteJob.itemFile(items, index), record);
    }

    /** Whether every item's record has been taken in. */
    boolean complete() {
        return next == total;
    }

    /** The item {@link #advance} waits for. */
    int waitingFor() {
        return next;
    }

    private JsonNode read(int index) {
        Path f = PasteJob.itemFile(items, index);
        JsonNode rec;
        try {
            rec = PasteJob.JSON.readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(f, "record", "(not JSON)", "is not an item record this tool wrote; delete it "
                    + "and run again to make item " + index + " again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the item record " + f + ": " + e.getMessage(), e);
        }
        if (rec == null || !complete(rec, index)) {
            throw new InputException(f, "record", rec == null || !rec.isObject() ? "(no object)" : "index "
                    + rec.path("index") + ", status " + rec.path("status"), "is not a complete record of item "
                    + index + "; delete it and run again to make the item again");
        }
        return rec;
    }

    /** Whether an earlier run's record holds every field the run-level files take from it. */
    private static boolean complete(JsonNode rec, int index) {
        if (!rec.isObject() || rec.path("index").asLong(-1) != index) {
            return false;
        }
        String status = rec.path("status").asText();
        if ("skipped".equals(status)) {
            return true;
        }
        if (!"made".equals(status) || !rec.path("width").isInt() || !rec.path("height").isInt()
                || !rec.path("image").isTextual() || !rec.path("instances").isArray()) {
            return false;
        }
        for (JsonNode in : rec.path("instances")) {
            if (!in.path("categoryId").isInt() || !in.path("counts").isTextual() || !in.path("area").isIntegralNumber()
                    || !in.path("bbox").isArray() || in.path("bbox").size() != 4
                    || !in.path("sourceId").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private void take(int i, JsonNode rec, boolean isFresh) {
        try {
            byte[] line = PasteJob.JSON.writeValueAsBytes(rec);
            // a thumbnail the sheet will not show (the sheet is full) is neither drawn nor written
            RgbImage thumb = isFresh ? thumbnail(freshThumbs.remove(i), previewItems.size() < previewSize) : null;
            if (isFresh) {
                writeItem(i, line, thumb);
            }
            manifestOut.write(line);
            manifestOut.write('\n');
            if (!"made".equals(rec.path("status").asText())) {
                skipped.merge(rec.path("reason").asText(), 1, Integer::sum);
                problems.add("item " + i + " (" + rec.path("destination").asText() + "): "
                        + rec.path("reason").asText() + ": " + rec.path("detail").asText());
                return;
            }
            objects += rec.path("instances").size();
            if (previewItems.size() < previewSize) {
                Path file = Preview.thumbFile(items, i);
                if (thumb == null && Files.exists(file)) {
                    thumb = Images.readRgb(file); // drawn by an earlier run
                }
                if (thumb != null) {
                    previewItems.add(i);
                    previewThumbs.add(thumb);
                    if (previewItems.size() == previewSize) {
                        writePreview(); // complete: nothing later can change it
                    }
                }
            }
            int width = rec.get("width").asInt();
            int height = rec.get("height").asInt();
            images.writeStartObject();
            images.writeNumberField("id", i + 1);
            images.writeNumberField("width", width);
            images.writeNumberField("height", height);
            images.writeStringField("file_name", rec.get("image").asText());
            images.writeEndObject();
            for (JsonNode in : rec.path("instances")) {
                JsonGenerator g = annotations;
                g.writeStartObject();
                g.writeNumberField("id", annotationId++);
                g.writeNumberField("image_id", i + 1);
                g.writeNumberField("category_id", in.get("categoryId").asInt());
                g.writeObjectFieldStart("segmentation");
                g.writeArrayFieldStart("size");
                g.writeNumber(height);
                g.writeNumber(width);
                g.writeEndArray();
                g.writeStringField("counts", in.get("counts").asText());
                g.writeEndObject();
                g.writeNumberField("area", in.get("area").asLong());
                g.writeArrayFieldStart("bbox");
                for (JsonNode v : in.get("bbox")) {
                    g.writeNumber(v.asLong());
                }
                g.writeEndArray();
                g.writeNumberField("iscrowd", 0);
                g.writeStringField("source_id", in.get("sourceId").asText());
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's files in " + o.out() + ": " + e.getMessage(), e);
        }
    }

    private void writePreview() {
        preview = Preview.write(o.out().resolve("preview.png"), previewThumbs);
        previewThumbs.clear();
    }

    /**
     * Closes the manifest and the COCO JSON and renames them into place, writes the preview sheet if it is not yet
     * written, and removes the thumbnails it does not show. Every record must have been taken in.
     */
    PasteJob.Result finish(int madeNow, int already, PasteJob.Thumbs thumbs) {
        if (!complete()) {
            throw new IllegalStateException("item " + next + " has no record");
        }
        try {
            manifestOut.close();
            annotations.close();
            annotationsOut.close();
            images.writeEndArray();
            images.writeArrayFieldStart("annotations");
            images.flush();
            Files.copy(annotationsTemp, cocoOut); // written straight into the open array (its elements, commas and all)
            images.writeEndArray();
            images.writeArrayFieldStart("categories");
            for (Map.Entry<Integer, String> c : new TreeMap<>(o.source().categories()).entrySet()) {
                images.writeStartObject();
                images.writeNumberField("id", c.getKey());
                images.writeStringField("name", c.getValue());
                images.writeStringField("supercategory", "outlier");
                images.writeEndObject();
            }
            images.writeEndArray();
            images.writeEndObject();
            images.close();
            cocoOut.close();
            AtomicFiles.move(manifestTemp, manifest);
            AtomicFiles.move(cocoTemp, coco);
            Files.deleteIfExists(annotationsTemp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's files in " + o.out() + ": " + e.getMessage(), e);
        }
        if (preview == null && !previewThumbs.isEmpty()) {
            writePreview();
        }
        thumbs.removeAllBut(previewItems, items);
        finished = true;
        return new PasteJob.Result(total, madeNow, already, skipped, problems, objects, o.out(), manifest, coco,
                preview);
    }

    /** Closes the temp files and, unless {@link #finish} renamed them, deletes them. */
    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {images, annotations, manifestOut, cocoOut, annotationsOut}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing after a failure: the temp files go below
                }
            }
        }
        if (!finished) {
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException ignored) {
                    // a leftover temp file is removed by the next run of this folder
                }
            }
        }
    }
}
