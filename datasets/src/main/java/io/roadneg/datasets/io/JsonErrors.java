package io.roadneg.datasets.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Wording for Jackson parse errors, safe when Jackson gives no location (its nesting limit, for one). */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** {@code " at line L, column C"}, or an empty string when the error carries no usable location. */
    public static String where(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** The parser's own message without Jackson's location suffix, never null. */
    public static String message(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /**
     * Why a JSON file cannot be whole (empty, or not starting with '{' and ending with '}' as a cut-off download
     * would not), or null. Reads only the two ends, so it stays quick on the 448 MB COCO train file.
     */
    public static String notWhole(java.nio.file.Path file) {
        try (java.nio.channels.SeekableByteChannel ch = java.nio.file.Files.newByteChannel(file)) {
            long size = ch.size();
            if (size == 0) {
                return "empty file";
            }
            int n = (int) Math.min(size, 4096);
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(n);
            ch.read(head);
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(n);
            ch.position(size - n);
            ch.read(tail);
            if (firstNonSpace(head.array(), true) != '{') {
                return "does not start with a JSON object (truncated or not JSON)";
            }
            if (firstNonSpace(tail.array(), false) != '}') {
                return "does not end with '}' (truncated download)";
            }
            return null;
        } catch (java.io.IOException e) {
            return "cannot read: " + e.getMessage();
        }
    }

    private static int firstNonSpace(byte[] b, boolean fromStart) {
        for (int k = 0; k < b.length; k++) {
            int c = b[fromStart ? k : b.length - 1 - k] & 0xff;
            boolean bom = fromStart && k < 3 && (c == 0xEF || c == 0xBB || c == 0xBF);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && !bom) {
                return c;
            }
        }
        return -1;
    }
}
