package io.roadneg.datasets.coco;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Shared streaming plumbing for the COCO JSON files: walks the top-level object one field at a time so that the big
 * arrays are never held whole, and turns Jackson's errors into one-line {@link InputException}s naming the file, the
 * JSON path and the line/column.
 */
final class JsonStreams {
    /** Reads one array element at a time into a small tree; the parser keeps byte offsets for later re-reads. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Receives each element of a top-level array. */
    @FunctionalInterface
    interface ElementVisitor {
        /**
         * @param index position in the array
         * @param element the element as a tree
         * @param offset byte offset of the element's first byte
         * @param length the element's length in bytes
         */
        void visit(int index, JsonNode element, long offset, int length);
    }

    /** Chooses, per top-level field, the visitor of its array elements, or null to skip the field. */
    @FunctionalInterface
    interface FieldRouter {
        ElementVisitor route(String field);
    }

    private JsonStreams() {
    }

    /** Streams the file's top-level object, visiting the elements of the arrays that {@code router} asks for. */
    static void walk(Path file, FieldRouter router) {
        JsonParser p = null;
        try {
            p = MAPPER.createParser(Files.newInputStream(file));
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(file, p, "the file must hold one JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                ElementVisitor v = router.route(name);
                if (v == null) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new InputException(file, name, t, "must be a JSON array");
                }
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    long start = p.currentTokenLocation().getByteOffset();
                    JsonNode node = MAPPER.readTree(p);
                    long end = p.currentLocation().getByteOffset();
                    v.visit(index++, node, start, (int) Math.min(Integer.MAX_VALUE, end - start));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw malformed(file, p, "unexpected content after the top-level object");
            }
        } catch (JsonProcessingException e) {
            throw malformed(file, p, e.getOriginalMessage(), e.getLocation(), e);
        } catch (NoSuchFileException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // closing a read-only parser cannot lose data
                }
            }
        }
    }

    /** Parses one element again from its bytes (written by a previous {@link #walk}). */
    static JsonNode parseBytes(Path file, byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InputException(file, null, null, "the JSON changed since it was indexed: " + e.getMessage(), e);
        }
    }

    /** Reads a small JSON file whole (category tables and the like). */
    static JsonNode readWhole(Path file) {
        try (JsonParser p = MAPPER.createParser(Files.newInputStream(file))) {
            try {
                return MAPPER.readTree(p);
            } catch (JsonProcessingException e) {
                throw malformed(file, p, e.getOriginalMessage(), e.getLocation(), e);
            }
        } catch (NoSuchFileException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputException malformed(Path file, JsonParser p, String problem) {
        return malformed(file, p, problem, p.currentLocation(), null);
    }

    private static InputException malformed(Path file, JsonParser p, String problem, JsonLocation loc, Throwable cause) {
        String path = p == null ? "(start)" : fieldPath(p.getParsingContext().pathAsPointer().toString());
        String where = loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column "
                + loc.getColumnNr();
        return new InputException(file, path.isEmpty() ? "(top level)" : path, null,
                "malformed JSON" + where + ": " + problem, cause);
    }

    /** "/annotations/12/segmentation" to "annotations[12].segmentation", the way the error messages name fields. */
    static String fieldPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(part).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }
}
