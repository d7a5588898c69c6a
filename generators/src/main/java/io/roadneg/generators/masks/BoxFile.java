package io.roadneg.generators.masks;

import io.roadneg.datasets.io.JsonErrors;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.coco.CocoCategory;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Box prompts read from a file, grouped by image. Three forms, told apart by content:
 * <ul>
 * <li>a COCO instances JSON (top-level object): {@code images} and each annotation's {@code bbox}; segmentations
 *     are not needed (detection sets and detector output carry boxes only) and are ignored;</li>
 * <li>a simple JSON (top-level array): {@code [{"file_name": "a.jpg", "bbox": [x, y, w, h], "category_id": 3,
 *     "points": [[x, y, 1], [x, y, 0]]}, ...]}, category and points optional (1 = positive click, 0 = negative);</li>
 * <li>a CSV with header {@code file_name,x,y,w,h} and an optional {@code category_id} column.</li>
 * </ul>
 * The file is streamed, so a 450 MB COCO file costs only its images table and the boxes. Entries that cannot be
 * prompted (missing or malformed bbox, unknown image) are reported as {@link #problems()}, not thrown.
 */
public final class BoxFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One prompt with its output identity; {@code where} names its place in the file for reports. */
    public record Entry(long id, int categoryId, Prompt prompt, String where) {
    }

    /**
     * An image and its prompts; {@code width}/{@code height} are the sizes the file claims, 0 when it claims none.
     */
    public record ImageBoxes(long imageId, String fileName, int width, int height, List<Entry> entries) {
    }

    private final Path file;
    private final List<ImageBoxes> images;
    private final List<CocoCategory> categories;
    private final List<String> problems;

    private BoxFile(Path file, List<ImageBoxes> images, List<CocoCategory> categories, List<String> problems) {
        this.file = file;
        this.images = List.copyOf(images);
        this.categories = List.copyOf(categories);
        this.problems = List.copyOf(problems);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Images in file order (COCO: the images table order; others: first appearance). */
    public List<ImageBoxes> images() {
        return images;
    }

    /** The categories for the output file. */
    public List<CocoCategory> categories() {
        return categories;
    }

    /** Entries skipped while reading, one line each. */
    public List<String> problems() {
        return problems;
    }

    /** Reads any of the three forms. */
    public static BoxFile read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return readCsv(file);
        }
        try (JsonParser p = MAPPER.createParser(Files.newInputStream(file))) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                return readCoco(file, p);
            }
            if (t == JsonToken.START_ARRAY) {
                return readSimple(file, p);
            }
            throw new InputException(file, "(top level)", t, "must be a COCO object or an array of boxes");
        } catch (NoSuchFileException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (JsonProcessingException e) {
            throw new InputException(file, null, null, "malformed JSON" + JsonErrors.where(e) + ": "
                    + JsonErrors.message(e), e);
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private static BoxFile readCoco(Path file, JsonParser p) throws IOException {
        Map<Long, ImageBoxes> byId = new LinkedHashMap<>();
        List<JsonNode> anns = new ArrayList<>();
        List<CocoCategory> cats = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            boolean wanted = field.equals("images") || field.equals("annotations") || field.equals("categories");
            if (!wanted) {
                p.skipChildren();
                continue;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new InputException(file, field, t, "must be a JSON array");
            }
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                // only the small fields are kept: segmentations of big files are dropped element by element
                JsonNode n = MAPPER.readTree(p);
                String at = field + "[" + i++ + "]";
                switch (field) {
                    case "images" -> {
                        long id = integer(file, n, at, "id");
                        JsonNode fn = n.get("file_name");
                        if (fn == null || !fn.isTextual() || fn.asText().isEmpty()) {
                            throw new InputException(file, at + ".file_name", fn, "must be a non-empty string");
                        }
                        int w = (int) integer(file, n, at, "width");
                        int h = (int) integer(file, n, at, "height");
                        if (byId.put(id, new ImageBoxes(id, fn.asText(), w, h, new ArrayList<>())) != null) {
                            throw new InputException(file, at + ".id", id, "duplicate image id");
                        }
                    }
                    case "annotations" -> anns.add(slim(at, n));
                    default -> cats.add(new CocoCategory((int) integer(file, n, at, "id"), n.path("name").asText(""),
                            n.path("supercategory").asText("")));
                }
            }
        }
        if (byId.isEmpty() && anns.isEmpty()) {
            throw new InputException(file, "images", null, "missing or empty: not a COCO instances file");
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode n : anns) {
            String at = n.get("@at").asText();
            JsonNode imageId = n.get("image_id");
            ImageBoxes im = imageId != null && imageId.canConvertToLong() ? byId.get(imageId.asLong()) : null;
            if (im == null) {
                problems.add(file + ": " + at + ".image_id = " + imageId + ": unknown image id");
                continue;
            }
            Entry e = entry(file, n, at, n.path("id").asLong(-1), problems);
            if (e != null) {
                im.entries().add(e);
            }
        }
        return new BoxFile(file, new ArrayList<>(byId.values()), cats, problems);
    }

    /** The fields a prompt needs and where the annotation was, so big segmentations are not kept. */
    private static JsonNode slim(String at, JsonNode full) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("@at", at);
        if (full.isObject()) {
            for (String f : new String[] {"id", "image_id", "category_id", "bbox", "points"}) {
                if (full.has(f)) {
                    o.set(f, full.get(f));
                }
            }
        }
        return o;
    }

    private static BoxFile readSimple(Path file, JsonParser p) throws IOException {
        Map<String, ImageBoxes> byName = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode n = MAPPER.readTree(p);
            String at = "[" + i + "]";
            JsonNode fn = n.get("file_name");
            if (fn == null || !fn.isTextual() || fn.asText().isEmpty()) {
                problems.add(file + ": " + at + ".file_name = " + fn + ": must be a non-empty string");
            } else {
                Entry e = entry(file, n, at, i + 1, problems);
                if (e != null) {
                    image(byName, fn.asText()).entries().add(e);
                }
            }
            i++;
        }
        return new BoxFile(file, new ArrayList<>(byName.values()), defaultCategories(byName), problems);
    }

    private static BoxFile readCsv(Path file) {
        Map<String, ImageBoxes> byName = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new InputException(file, "header", null, "empty file: expected file_name,x,y,w,h");
            }
            List<String> cols = List.of(header.replace("\uFEFF", "").trim().split("\\s*,\\s*"));
            int[] idx = new int[5];
            String[] need = {"file_name", "x", "y", "w", "h"};
            for (int k = 0; k < need.length; k++) {
                idx[k] = cols.indexOf(need[k]);
                if (idx[k] < 0) {
                    throw new InputException(file, "header", header, "must name the columns file_name,x,y,w,h");
                }
            }
            int catCol = cols.indexOf("category_id");
            String line;
            int lineNo = 1;
            long id = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                String at = "line " + lineNo;
                try {
                    if (f.length < cols.size()) {
                        throw new NumberFormatException(f.length + " fields, header has " + cols.size());
                    }
                    double[] b = new double[4];
                    for (int k = 0; k < 4; k++) {
                        b[k] = Double.parseDouble(f[idx[k + 1]].trim());
                    }
                    int cat = catCol < 0 ? 1 : Integer.parseInt(f[catCol].trim());
                    String problem = boxProblem(b);
                    if (problem != null) {
                        problems.add(file + ": " + at + " bbox = " + Arrays.toString(b) + ": " + problem);
                        continue;
                    }
                    image(byName, f[idx[0]].trim()).entries().add(new Entry(++id, cat,
                            Prompt.of(Box.ofXywh(b[0], b[1], b[2], b[3])), at));
                } catch (NumberFormatException e) {
                    problems.add(file + ": " + at + " = " + abbreviate(line) + ": not a number: " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + e.getMessage(), e);
        }
        return new BoxFile(file, new ArrayList<>(byName.values()), defaultCategories(byName), problems);
    }

    private static ImageBoxes image(Map<String, ImageBoxes> byName, String fileName) {
        return byName.computeIfAbsent(fileName, k -> new ImageBoxes(byName.size() + 1, k, 0, 0, new ArrayList<>()));
    }

    private static List<CocoCategory> defaultCategories(Map<String, ImageBoxes> byName) {
        TreeMap<Integer, CocoCategory> cats = new TreeMap<>();
        for (ImageBoxes im : byName.values()) {
            for (Entry e : im.entries()) {
                cats.putIfAbsent(e.categoryId(), new CocoCategory(e.categoryId(), e.categoryId() == 1 ? "object"
                        : "category_" + e.categoryId(), "object"));
            }
        }
        return new ArrayList<>(cats.values());
    }

    /** A prompt from a JSON entry's bbox, category and points, or null after recording why not. */
    private static Entry entry(Path file, JsonNode n, String at, long id, List<String> problems) {
        JsonNode bb = n.get("bbox");
        double[] b = new double[4];
        if (bb == null || !bb.isArray() || bb.size() != 4) {
            problems.add(file + ": " + at + ".bbox = " + bb + ": must hold 4 numbers [x, y, w, h]");
            return null;
        }
        for (int k = 0; k < 4; k++) {
            if (!bb.get(k).isNumber()) {
                problems.add(file + ": " + at + ".bbox = " + bb + ": must hold 4 numbers [x, y, w, h]");
                return null;
            }
            b[k] = bb.get(k).asDouble();
        }
        String problem = boxProblem(b);
        if (problem != null) {
            problems.add(file + ": " + at + ".bbox = " + bb + ": " + problem);
            return null;
        }
        JsonNode cat = n.get("category_id");
        int categoryId = cat != null && cat.isIntegralNumber() ? cat.asInt() : 1;
        List<Prompt.Point> points = new ArrayList<>();
        JsonNode pts = n.get("points");
        if (pts != null) {
            for (int k = 0; k < pts.size(); k++) {
                JsonNode pt = pts.get(k);
                if (!pt.isArray() || pt.size() != 3 || !pt.get(0).isNumber() || !pt.get(1).isNumber()
                        || !(pt.get(2).asInt(-1) == 0 || pt.get(2).asInt(-1) == 1)) {
                    problems.add(file + ": " + at + ".points[" + k + "] = " + pt + ": must be [x, y, 1|0]");
                    return null;
                }
                points.add(new Prompt.Point(pt.get(0).asDouble(), pt.get(1).asDouble(), pt.get(2).asInt() == 1));
            }
        }
        return new Entry(id, categoryId, new Prompt(Box.ofXywh(b[0], b[1], b[2], b[3]), points), at);
    }

    /** Why a {@code [x, y, w, h]} cannot be a prompt, or null. */
    private static String boxProblem(double[] b) {
        for (double v : b) {
            if (!Double.isFinite(v)) {
                return "not finite";
            }
        }
        if (b[2] <= 0 || b[3] <= 0) {
            return "empty box (width and height must be positive)";
        }
        return null;
    }

    private static long integer(Path file, JsonNode n, String at, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new InputException(file, at + "." + field, v, v == null ? "missing" : "must be an integer");
        }
        return v.asLong();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
