package io.roadneg.generators;

import io.roadneg.pasting.PasteObject;
import java.util.Map;
import java.util.Random;

/**
 * A source of objects to paste. Items are numbered 0..size-1 in a stable order; an item's random choices (a crop, a
 * mask type) are drawn by {@link #draw} and recorded in the plan, and {@link #load} rebuilds the object from them
 * without randomness. Implementations must be safe to use from several threads.
 */
public interface OutlierSource extends AutoCloseable {
    /** Short name written into plans ("coco", "ade20k", "patches"). */
    String name();

    /** Number of items. */
    int size();

    /** Stable id of an item (e.g. {@code coco:train2017:000000000139}). */
    String itemId(int index);

    /** Index of an item id, or -1. */
    int indexOf(String itemId);

    /** The item's own random choices; values must be JSON numbers, strings, booleans or lists of them. */
    Map<String, Object> draw(int index, Random rng);

    /**
     * Builds the object of an item from its recorded draw.
     *
     * @return the object, or null when this draw gives no usable object (empty mask, too small)
     */
    PasteObject load(int index, Map<String, Object> draw);

    /**
     * The item's whole source picture after the draw's transforms, with the object's mask (RPL's CoroCL contrasts
     * against it); null when the draw gives no object. By default the cut-out of {@link #load}.
     */
    default PasteObject whole(int index, Map<String, Object> draw) {
        return load(index, draw);
    }

    /** The category ids and names the source may produce, for the COCO JSON of the pasted set. */
    Map<Integer, String> categories();

    @Override
    default void close() {
    }

    /** Reads an int from a draw map whose numbers may come back from JSON as any Number type. */
    static int intOf(Map<String, Object> draw, String key) {
        Object v = draw.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("draw field " + key + " missing or not a number: " + v);
        }
        return n.intValue();
    }

    /** Reads a double from a draw map. */
    static double doubleOf(Map<String, Object> draw, String key) {
        Object v = draw.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("draw field " + key + " missing or not a number: " + v);
        }
        return n.doubleValue();
    }
}
