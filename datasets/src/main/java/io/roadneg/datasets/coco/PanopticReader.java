package io.roadneg.datasets.coco;

import io.roadneg.datasets.io.Roots;
import com.fasterxml.jackson.databind.JsonNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads COCO panoptic annotations: a JSON whose {@code annotations} list each image's PNG and its
 * {@code segments_info}, and RGB PNGs where a pixel's segment id is {@code R + 256 G + 65536 B} (0 = unlabelled).
 * The JSON is streamed one image entry at a time; {@link #masks} decodes one PNG into per-segment masks.
 */
public final class PanopticReader {
    private final Path json;
    private final Path pngFolder;
    private final List<CocoCategory> categories;
    private final Set<Integer> thingIds;

    /** One entry of {@code segments_info}. */
    public record Segment(long id, int categoryId, boolean iscrowd, double[] bbox, long area) {
    }

    /** One entry of {@code annotations}: an image, its PNG name and its segments. */
    public record Entry(long imageId, String fileName, List<Segment> segments) {
    }

    /** A segment with its mask decoded from the PNG. */
    public record SegmentMask(Segment segment, Rle mask) {
    }

    private PanopticReader(Path json, Path pngFolder, List<CocoCategory> categories, Set<Integer> thingIds) {
        this.json = json;
        this.pngFolder = pngFolder;
        this.categories = Collections.unmodifiableList(categories);
        this.thingIds = Collections.unmodifiableSet(thingIds);
    }

    /**
     * Reads the category table of {@code json}; PNGs are looked up in {@code pngFolder}. The category table may sit
     * in the JSON or, as in the panopticapi sample, in a separate file passed as {@code categoriesJson} (null to use
     * the JSON's own).
     */
    public static PanopticReader open(Path json, Path pngFolder, Path categoriesJson) {
        List<CocoCategory> cats = new ArrayList<>();
        Set<Integer> things = new HashSet<>();
        if (categoriesJson == null) {
            JsonStreams.walk(json, f -> f.equals("categories")
                    ? (i, n, off, len) -> addCategory(json, "categories[" + i + "]", n, cats, things) : null);
        } else {
            JsonNode arr = JsonStreams.readWhole(categoriesJson);
            if (!arr.isArray()) {
                throw new InputException(categoriesJson, "(top level)", null, "must be a JSON array of categories");
            }
            for (int i = 0; i < arr.size(); i++) {
                addCategory(categoriesJson, "[" + i + "]", arr.get(i), cats, things);
            }
        }
        return new PanopticReader(json, pngFolder, cats, things);
    }

    /** The categories. */
    public List<CocoCategory> categories() {
        return categories;
    }

    /** Whether the category is a thing (countable object) rather than stuff. */
    public boolean isThing(int categoryId) {
        return thingIds.contains(categoryId);
    }

    /** Streams the image entries in file order. */
    public void forEach(Consumer<Entry> consumer) {
        JsonStreams.walk(json, f -> f.equals("annotations")
                ? (i, n, off, len) -> consumer.accept(parseEntry("annotations[" + i + "]", n)) : null);
    }

    /**
     * Decodes the entry's PNG into one mask per segment, in {@code segments_info} order. A PNG id that the entry does
     * not list is an {@link InputException}, as in panopticapi's checker.
     */
    public List<SegmentMask> masks(Entry entry) {
        Path png = Roots.inside(pngFolder, entry.fileName(), json, "annotations[image_id " + entry.imageId()
                + "].file_name");
        LabelMap packed = Images.readPackedRgb(png);
        int w = packed.width();
        int h = packed.height();
        Map<Long, Integer> index = new HashMap<>();
        for (int s = 0; s < entry.segments().size(); s++) {
            index.put(entry.segments().get(s).id(), s);
        }
        byte[][] masks = new byte[entry.segments().size()][];
        int[] data = packed.data();
        for (int p = 0; p < data.length; p++) {
            int v = data[p];
            // readPackedRgb packs R in the high byte; panoptic ids put R in the low byte
            long id = ((v >> 16) & 0xff) + 256L * ((v >> 8) & 0xff) + 65536L * (v & 0xff);
            if (id == 0) {
                continue;
            }
            Integer s = index.get(id);
            if (s == null) {
                throw new InputException(png, "segment id", id, "is in the PNG but not in segments_info of "
                        + json.getFileName());
            }
            if (masks[s] == null) {
                masks[s] = new byte[w * h];
            }
            masks[s][p] = 1;
        }
        List<SegmentMask> out = new ArrayList<>(masks.length);
        for (int s = 0; s < masks.length; s++) {
            byte[] m = masks[s] == null ? new byte[w * h] : masks[s];
            out.add(new SegmentMask(entry.segments().get(s), Rle.fromRowMajor(m, h, w)));
        }
        return out;
    }

    private static void addCategory(Path file, String at, JsonNode n, List<CocoCategory> cats, Set<Integer> things) {
        JsonNode id = n.get("id");
        JsonNode name = n.get("name");
        if (id == null || !id.isIntegralNumber()) {
            throw new InputException(file, at + ".id", id, "must be an integer");
        }
        if (name == null || !name.isTextual()) {
            throw new InputException(file, at + ".name", name, "must be a string");
        }
        cats.add(new CocoCategory(id.asInt(), name.asText(), n.path("supercategory").asText("")));
        if (n.path("isthing").asInt(0) == 1) {
            things.add(id.asInt());
        }
    }

    private Entry parseEntry(String at, JsonNode n) {
        JsonNode imageId = n.get("image_id");
        JsonNode fileName = n.get("file_name");
        JsonNode infos = n.get("segments_info");
        if (imageId == null || !imageId.isIntegralNumber()) {
            throw new InputException(json, at + ".image_id", imageId, "must be an integer");
        }
        if (fileName == null || !fileName.isTextual()) {
            throw new InputException(json, at + ".file_name", fileName, "must be a string");
        }
        if (infos == null || !infos.isArray()) {
            throw new InputException(json, at + ".segments_info", infos, "must be an array");
        }
        List<Segment> segments = new ArrayList<>(infos.size());
        for (int s = 0; s < infos.size(); s++) {
            JsonNode si = infos.get(s);
            String sat = at + ".segments_info[" + s + "]";
            JsonNode bbox = si.get("bbox");
            if (bbox == null || !bbox.isArray() || bbox.size() != 4) {
                throw new InputException(json, sat + ".bbox", bbox, "must hold 4 numbers [x, y, w, h]");
            }
            double[] bb = new double[4];
            for (int k = 0; k < 4; k++) {
                bb[k] = bbox.get(k).asDouble();
            }
            for (String f : new String[] {"id", "category_id", "area"}) {
                if (si.get(f) == null || !si.get(f).isIntegralNumber()) {
                    throw new InputException(json, sat + "." + f, si.get(f), "must be an integer");
                }
            }
            segments.add(new Segment(si.get("id").asLong(), si.get("category_id").asInt(),
                    si.path("iscrowd").asInt(0) == 1, bb, si.get("area").asLong()));
        }
        return new Entry(imageId.asLong(), fileName.asText(), List.copyOf(segments));
    }
}
