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
}
