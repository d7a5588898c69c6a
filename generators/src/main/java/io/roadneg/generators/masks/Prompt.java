package io.roadneg.generators.masks;

import java.util.List;

/**
 * One prompt: a box and optional points that must (positive) or must not (negative) be in the object's mask.
 *
 * @param box the object's box in image pixels
 * @param points extra click prompts, possibly empty
 */
public record Prompt(Box box, List<Point> points) {

    /** A click prompt at pixel coordinates {@code (x, y)}. */
    public record Point(double x, double y, boolean positive) {
    }

    /** Copies the points; null means none. */
    public Prompt {
        if (box == null) {
            throw new IllegalArgumentException("prompt box must not be null");
        }
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** A box-only prompt. */
    public static Prompt of(Box box) {
        return new Prompt(box, List.of());
    }
}
