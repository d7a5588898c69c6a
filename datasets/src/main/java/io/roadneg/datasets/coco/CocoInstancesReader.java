package io.roadneg.datasets.coco;

import com.fasterxml.jackson.databind.JsonNode;
import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming reader of a COCO instances JSON ({@code instances_train2017.json} is 450 MB): heap stays bounded by the
 * image and category tables, never the annotations.
 *
 * <p>{@link #open} makes the first pass: it reads {@code images} and {@code categories} and skips {@code annotations}
 * token by token (real files put categories after annotations, so annotations can only be checked in a second pass).
 * {@link #forEachAnnotation} makes that second pass, handing over one validated annotation at a time with its byte
 * {@link AnnotationSpan}; {@link #openSpans} re-reads single annotations by span.
 *
 * <p>Malformed or truncated JSON, and bad image or category entries, are {@link InputException}s naming the file,
 * the field path and the line/column. A bad annotation (unknown image or category, RLE counts not summing to h*w, an
 * odd polygon, wrong types) is an {@link AnnotationProblem} given to the handler, which may skip it or throw.
 */
public final class CocoInstancesReader {
    private final Path file;
    private final List<CocoImage> images;
    private final Map<Long, CocoImage> imagesById;
    private final List<CocoCategory> categories;
    private final Map<Integer, CocoCategory> categoriesById;

    /** Receives the annotations of the second pass. */
    public interface AnnotationHandler {
        /** A valid annotation and where it lies in the file. */
        void annotation(CocoAnnotation annotation, AnnotationSpan span);

        /** A bad annotation; the default policy stops with its exception. */
        default void problem(AnnotationProblem problem) {
            throw problem.toException();
        }
    }

    private CocoInstancesReader(Path file, List<CocoImage> images, List<CocoCategory> categories) {
        this.file = file;
        this.images = Collections.unmodifiableList(images);
        this.categories = Collections.unmodifiableList(categories);
        Map<Long, CocoImage> ib = new HashMap<>(images.size() * 2);
        for (int i = 0; i < images.size(); i++) {
            CocoImage im = images.get(i);
            if (ib.put(im.id(), im) != null) {
                throw new InputException(file, "images[" + i + "].id", im.id(), "duplicate image id");
            }
        }
        Map<Integer, CocoCategory> cb = new LinkedHashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            CocoCategory c = categories.get(i);
            if (cb.put(c.id(), c) != null) {
                throw new InputException(file, "categories[" + i + "].id", c.id(), "duplicate category id");
            }
        }
        this.imagesById = ib;
        this.categoriesById = cb;
    }

    /** First pass: reads the image and category tables, skipping the annotations. */
    public static CocoInstancesReader open(Path file) {
        List<CocoImage> images = new ArrayList<>();
        List<CocoCategory> categories = new ArrayList<>();
        boolean[] seen = new boolean[3];
        JsonStreams.walk(file, field -> switch (field) {
            case "images" -> {
                seen[0] = true;
                yield (i, n, off, len) -> images.add(parseImage(file, i, n));
            }
            case "categories" -> {
                seen[1] = true;
                yield (i, n, off, len) -> categories.add(parseCategory(file, i, n));
            }
            case "annotations" -> {
                seen[2] = true;
                yield null;
            }
            default -> null;
        });
        String[] names = {"images", "categories", "annotations"};
        for (int i = 0; i < names.length; i++) {
            if (!seen[i]) {
                throw new InputException(file, names[i], null, "missing: not a COCO instances file");
            }
        }
        return new CocoInstancesReader(file, images, categories);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The images in file order. */
    public List<CocoImage> images() {
        return images;
    }

    /** The image with this id, or null. */
    public CocoImage image(long id) {
        return imagesById.get(id);
    }

    /** The categories in file order. */
    public List<CocoCategory> categories() {
        return categories;
    }

    /** The category with this id, or null. */
    public CocoCategory category(int id) {
        return categoriesById.get(id);
    }

    /** Second pass: streams every annotation, valid ones and problems, in file order. */
    public void forEachAnnotation(AnnotationHandler handler) {
        JsonStreams.walk(file, field -> !field.equals("annotations") ? null : (i, n, off, len) -> {
            Object parsed = parseAnnotation(i, n);
            if (parsed instanceof CocoAnnotation a) {
                handler.annotation(a, new AnnotationSpan(i, off, len));
            } else {
                handler.problem((AnnotationProblem) parsed);
            }
        });
    }

    /** Opens the file for re-reading single annotations by span; thread-safe, close when done. */
    public Spans openSpans() {
        try {
            return new Spans(FileChannel.open(file, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Random access to annotations by their {@link AnnotationSpan}. */
    public final class Spans implements AutoCloseable {
        private final FileChannel channel;

        private Spans(FileChannel channel) {
            this.channel = channel;
        }

        /**
         * The annotation at {@code span}; it was valid when indexed, so a problem now means the file changed and is
         * an {@link InputException}.
         */
        public CocoAnnotation read(AnnotationSpan span) {
            ByteBuffer buf = ByteBuffer.allocate(span.length());
            try {
                long pos = span.offset();
                while (buf.hasRemaining()) {
                    // positional reads leave the channel position alone, so threads can share the channel
                    int n = channel.read(buf, pos);
                    if (n < 0) {
                        throw new InputException(file, "annotations[" + span.index() + "]", null,
                                "the file is shorter than when it was indexed");
                    }
                    pos += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            Object parsed = parseAnnotation(span.index(), JsonStreams.parseBytes(file, buf.array()));
            if (parsed instanceof AnnotationProblem p) {
                throw p.toException();
            }
            return (CocoAnnotation) parsed;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing to lose
            }
        }
    }

    private static CocoImage parseImage(Path file, int i, JsonNode n) {
        String at = "images[" + i + "]";
        if (!n.isObject()) {
            throw new InputException(file, at, n, "must be a JSON object");
        }
        long id = requireLong(file, n, at, "id");
        long w = requireLong(file, n, at, "width");
        long h = requireLong(file, n, at, "height");
        if (w <= 0 || w > Integer.MAX_VALUE) {
            throw new InputException(file, at + ".width", w, "must be a positive integer");
        }
        if (h <= 0 || h > Integer.MAX_VALUE) {
            throw new InputException(file, at + ".height", h, "must be a positive integer");
        }
        JsonNode fn = n.get("file_name");
        if (fn == null || !fn.isTextual() || fn.asText().isEmpty()) {
            throw new InputException(file, at + ".file_name", fn, "must be a non-empty string");
        }
        return new CocoImage(id, (int) w, (int) h, fn.asText());
    }

    private static CocoCategory parseCategory(Path file, int i, JsonNode n) {
        String at = "categories[" + i + "]";
        if (!n.isObject()) {
            throw new InputException(file, at, n, "must be a JSON object");
        }
        long id = requireLong(file, n, at, "id");
        if (id < 0 || id > Integer.MAX_VALUE) {
            throw new InputException(file, at + ".id", id, "must be a non-negative integer");
        }
        JsonNode name = n.get("name");
        if (name == null || !name.isTextual()) {
            throw new InputException(file, at + ".name", name, "must be a string");
        }
        JsonNode sup = n.get("supercategory");
        return new CocoCategory((int) id, name.asText(), sup != null && sup.isTextual() ? sup.asText() : "");
    }

    private static long requireLong(Path file, JsonNode n, String at, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InputException(file, at + "." + field, v, v == null ? "missing" : "must be an integer");
        }
        return v.asLong();
    }

    /** Signals a bad annotation field while parsing; turned into an {@link AnnotationProblem}. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        final String field;
        final String value;

        Bad(String field, Object value, String problem) {
            super(problem, null, false, false);
            this.field = field;
            this.value = value == null ? null : String.valueOf(value);
        }
    }

    /** A {@link CocoAnnotation} or an {@link AnnotationProblem}. */
    private Object parseAnnotation(int i, JsonNode n) {
        String at = "annotations[" + i + "]";
        long annId = n.path("id").canConvertToLong() && n.path("id").isIntegralNumber() ? n.path("id").asLong() : -1;
        long imageRef = -1;
        try {
            if (!n.isObject()) {
                throw new Bad(at, n, "must be a JSON object");
            }
            long id = annLong(n, at, "id");
            long imageId = annLong(n, at, "image_id");
            CocoImage image = imagesById.get(imageId);
            if (image == null) {
                throw new Bad(at + ".image_id", imageId, "unknown image id");
            }
            imageRef = imageId;
            long cat = annLong(n, at, "category_id");
            if (cat < Integer.MIN_VALUE || cat > Integer.MAX_VALUE || !categoriesById.containsKey((int) cat)) {
                throw new Bad(at + ".category_id", cat, "unknown category id");
            }
            JsonNode segNode = n.get("segmentation");
            if (segNode == null) {
                throw new Bad(at + ".segmentation", null, "missing");
            }
            Segmentation seg = parseSegmentation(segNode, at + ".segmentation", image);
            double area = optDouble(n, at, "area");
            double[] bbox = null;
            JsonNode bb = n.get("bbox");
            if (bb != null) {
                bbox = numbers(bb, at + ".bbox");
                if (bbox.length != 4) {
                    throw new Bad(at + ".bbox", bb, "must hold 4 numbers [x, y, w, h]");
                }
            }
            boolean crowd = false;
            JsonNode ic = n.get("iscrowd");
            if (ic != null) {
                if (ic.isBoolean()) {
                    crowd = ic.asBoolean();
                } else if (ic.isIntegralNumber() && (ic.asLong() == 0 || ic.asLong() == 1)) {
                    crowd = ic.asLong() == 1;
                } else {
                    throw new Bad(at + ".iscrowd", ic, "must be 0 or 1");
                }
            }
            double score = optDouble(n, at, "score");
            return new CocoAnnotation(id, imageId, (int) cat, seg, area, bbox, crowd, score);
        } catch (Bad b) {
            return new AnnotationProblem(file, i, annId, imageRef, b.field, b.value, b.getMessage());
        }
    }

    private static long annLong(JsonNode n, String at, String field) throws Bad {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new Bad(at + "." + field, v, v == null ? "missing" : "must be an integer");
        }
        return v.asLong();
    }

    private static double optDouble(JsonNode n, String at, String field) throws Bad {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw new Bad(at + "." + field, v, "must be a number");
        }
        return v.asDouble();
    }

    private static double[] numbers(JsonNode arr, String at) throws Bad {
        if (!arr.isArray()) {
            throw new Bad(at, arr, "must be an array of numbers");
        }
        double[] out = new double[arr.size()];
        for (int j = 0; j < out.length; j++) {
            JsonNode v = arr.get(j);
            if (!v.isNumber()) {
                throw new Bad(at + "[" + j + "]", v, "must be a number");
            }
            out[j] = v.asDouble();
        }
        return out;
    }

    private static Segmentation parseSegmentation(JsonNode s, String at, CocoImage image) throws Bad {
        if (s.isArray()) {
            List<double[]> polys = new ArrayList<>(s.size());
            for (int j = 0; j < s.size(); j++) {
                double[] p = numbers(s.get(j), at + "[" + j + "]");
                if (p.length % 2 != 0) {
                    throw new Bad(at + "[" + j + "]", p.length + " coordinates",
                            "polygon has an odd number of coordinates");
                }
                polys.add(p);
            }
            try {
                PolygonRasterizer.check(polys);
            } catch (IllegalArgumentException e) {
                throw new Bad(at, s.size() + " polygons", e.getMessage());
            }
            return new Segmentation.Polygons(polys);
        }
        if (!s.isObject()) {
            throw new Bad(at, s, "must be a polygon list or an RLE object");
        }
        JsonNode size = s.get("size");
        if (size == null || !size.isArray() || size.size() != 2 || !size.get(0).isIntegralNumber()
                || !size.get(1).isIntegralNumber()) {
            throw new Bad(at + ".size", size, "must be [height, width]");
        }
        long h = size.get(0).asLong();
        long w = size.get(1).asLong();
        if (h != image.height() || w != image.width()) {
            throw new Bad(at + ".size", "[" + h + ", " + w + "]",
                    "differs from the image size [" + image.height() + ", " + image.width() + "]");
        }
        JsonNode counts = s.get("counts");
        try {
            if (counts != null && counts.isTextual()) {
                return new Segmentation.CompressedRle(Rle.fromCompressedString(counts.asText(), (int) h, (int) w));
            }
            if (counts != null && counts.isArray()) {
                long[] c = new long[counts.size()];
                for (int j = 0; j < c.length; j++) {
                    JsonNode v = counts.get(j);
                    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                        throw new Bad(at + ".counts[" + j + "]", v, "must be a non-negative integer");
                    }
                    c[j] = v.asLong();
                }
                return new Segmentation.UncompressedRle(new Rle((int) h, (int) w, c));
            }
        } catch (IllegalArgumentException e) {
            throw new Bad(at + ".counts", abbreviated(counts), e.getMessage());
        }
        throw new Bad(at + ".counts", counts, counts == null ? "missing" : "must be a string or an integer list");
    }

    private static String abbreviated(JsonNode n) {
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
