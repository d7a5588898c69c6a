package io.roadneg.generators.masks;

/**
 * An axis-aligned box in pixel coordinates: {@code [x0, x1) x [y0, y1)}, the same extent as a COCO {@code bbox}
 * {@code [x, y, w, h]} with {@code x1 = x + w}.
 */
public record Box(double x0, double y0, double x1, double y1) {

    /** Rejects non-finite corners. */
    public Box {
        if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(x1) || !Double.isFinite(y1)) {
            throw new IllegalArgumentException("box corners must be finite, found [" + x0 + ", " + y0 + ", " + x1
                    + ", " + y1 + "]");
        }
    }

    /** From a COCO {@code [x, y, w, h]}. */
    public static Box ofXywh(double x, double y, double w, double h) {
        return new Box(x, y, x + w, y + h);
    }

    /** Width (negative for an inverted box). */
    public double width() {
        return x1 - x0;
    }

    /** Height (negative for an inverted box). */
    public double height() {
        return y1 - y0;
    }

    /** Whether the box covers no area. */
    public boolean isEmpty() {
        return !(x1 > x0 && y1 > y0);
    }

    /** The box cut to the image {@code [0, width) x [0, height)}; may be empty when the box lies outside. */
    public Box clip(int width, int height) {
        return new Box(Math.max(0, x0), Math.max(0, y0), Math.min(width, x1), Math.min(height, y1));
    }

    /**
     * The integer pixel rectangle {@code [px0, py0, px1, py1)} the box covers: pixels whose centre lies inside it,
     * widened to at least one pixel so a thin box still prompts something.
     */
    public int[] pixels(int width, int height) {
        Box c = clip(width, height);
        int px0 = (int) Math.round(c.x0);
        int py0 = (int) Math.round(c.y0);
        int px1 = Math.max(px0 + 1, (int) Math.round(c.x1));
        int py1 = Math.max(py0 + 1, (int) Math.round(c.y1));
        return new int[] {Math.min(px0, width - 1), Math.min(py0, height - 1), Math.min(px1, width),
            Math.min(py1, height)};
    }

    /** As COCO {@code [x, y, w, h]}. */
    public double[] toXywh() {
        return new double[] {x0, y0, x1 - x0, y1 - y0};
    }
}
