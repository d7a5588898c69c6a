package io.roadneg.datasets.cityscapes;

import io.roadneg.datasets.io.JsonErrors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of a {@code _gtFine_polygons.json}: image size and the labelled objects in drawing order (later objects
 * are drawn over earlier ones, as the official {@code json2labelImg} does).
 */
public record CityscapesPolygons(int imgHeight, int imgWidth, List<PolygonObject> objects) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A labelled polygon: class name (may carry a "group" suffix) and vertices as {@code [x, y]} pairs. */
    public record PolygonObject(String label, List<int[]> polygon) {
    }

    /** Reads and validates a polygons file. */
    public static CityscapesPolygons read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (JsonProcessingException e) {
            throw new InputException(file, null, null, "malformed JSON" + JsonErrors.where(e) + ": "
                    + JsonErrors.message(e), e);
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + e.getMessage(), e);
        }
        int h = requireInt(root, "imgHeight", file);
        int w = requireInt(root, "imgWidth", file);
        JsonNode objs = root.get("objects");
        if (objs == null || !objs.isArray()) {
            throw new InputException(file, "objects", objs, "must be an array");
        }
        List<PolygonObject> out = new ArrayList<>();
        for (int i = 0; i < objs.size(); i++) {
            JsonNode o = objs.get(i);
            JsonNode label = o.get("label");
            JsonNode poly = o.get("polygon");
            if (label == null || !label.isTextual()) {
                throw new InputException(file, "objects[" + i + "].label", label, "must be a string");
            }
            if (poly == null || !poly.isArray()) {
                throw new InputException(file, "objects[" + i + "].polygon", poly, "must be an array of [x, y]");
            }
            List<int[]> pts = new ArrayList<>();
            for (int j = 0; j < poly.size(); j++) {
                JsonNode p = poly.get(j);
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                    throw new InputException(file, "objects[" + i + "].polygon[" + j + "]", p, "must be [x, y]");
                }
                pts.add(new int[] {p.get(0).asInt(), p.get(1).asInt()});
            }
            out.add(new PolygonObject(label.asText(), List.copyOf(pts)));
        }
        return new CityscapesPolygons(h, w, List.copyOf(out));
    }

    private static int requireInt(JsonNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new InputException(file, field, n, "must be a positive integer");
        }
        return n.asInt();
    }

    /** The JSON form, as the official files write it. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("imgHeight", imgHeight);
        root.put("imgWidth", imgWidth);
        ArrayNode arr = root.putArray("objects");
        for (PolygonObject o : objects) {
            ObjectNode n = arr.addObject();
            n.put("label", o.label());
            ArrayNode poly = n.putArray("polygon");
            for (int[] p : o.polygon()) {
                poly.addArray().add(p[0]).add(p[1]);
            }
        }
        return root;
    }

    /** Serialises as pretty-printed UTF-8 JSON bytes. */
    public byte[] toBytes() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
