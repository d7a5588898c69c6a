package io.roadneg.datasets.coco;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns COCO polygons into RLE masks with the same pixels as pycocotools ({@code maskApi.c rleFrPoly}, merged by
 * {@code annToRLE}'s union), so areas and masks agree with what COCO tools and the Meta-OOD reference produce.
 *
 * <p>The algorithm: vertices are scaled by 5 and rounded; every edge is walked one step at a time along its longer
 * axis; wherever the upsampled x changes, the step is mapped back to pixel scale and kept only when it lands exactly
 * on a pixel column centre; its y is the upper of the two step ends mapped back, clamped to {@code [0, h]} and rounded
 * up. Each kept point toggles the column-major mask at {@code x * h + y}, so sorting the points gives the RLE counts.
 * This differs from OpenCV's {@code fillPoly} by about a pixel along the border.
 */
public final class PolygonRasterizer {
    private static final double SCALE = 5;

    private PolygonRasterizer() {
    }

    /**
     * Rasterises one polygon {@code [x1, y1, x2, y2, ...]} (implicitly closed) for an {@code h x w} image. An odd
     * coordinate count is rejected; pycocotools would silently drop the last value.
     */
    public static Rle polygon(double[] xy, int height, int width) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("polygon has an odd number of coordinates (" + xy.length + ")");
        }
        int k = xy.length / 2;
        if (k == 0) {
            return new Rle(height, width, new long[] {(long) height * width});
        }
        // C's (int)(v + .5) truncates toward zero, as does Java's cast; negative vertices depend on that.
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = (int) (SCALE * xy[2 * j] + .5);
            y[j] = (int) (SCALE * xy[2 * j + 1] + .5);
        }
        x[k] = x[0];
        y[k] = y[0];
        long total = 0;
        for (int j = 0; j < k; j++) {
            total += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("polygon is too large to rasterise (" + total + " boundary steps)");
        }
        int[] u = new int[(int) total];
        int[] v = new int[(int) total];
        int m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j];
            int xe = x[j + 1];
            int ys = y[j];
            int ye = y[j + 1];
            int dx = Math.abs(xe - xs);
            int dy = Math.abs(ys - ye);
            // walking always in increasing order of the major axis keeps the rounding identical for both directions
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            if (dx >= dy) {
                double s = dx == 0 ? 0 : (double) (ye - ys) / dx;
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = (int) (ys + s * t + .5);
                    m++;
                }
            } else {
                double s = (double) (xe - xs) / dy;
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = (int) (xs + s * t + .5);
                    m++;
                }
            }
        }
        long[] toggles = new long[m + 1];
        int n = 0;
        for (int j = 1; j < m; j++) {
            if (u[j] == u[j - 1]) {
                continue;
            }
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + .5) / SCALE - .5;
            if (Math.floor(xd) != xd || xd < 0 || xd > width - 1) {
                continue;
            }
            double yd = Math.min(v[j], v[j - 1]);
            yd = (yd + .5) / SCALE - .5;
            if (yd < 0) {
                yd = 0;
            } else if (yd > height) {
                yd = height;
            }
            yd = Math.ceil(yd);
            toggles[n++] = (long) xd * height + (long) yd;
        }
        toggles[n++] = (long) height * width;
        Arrays.sort(toggles, 0, n);
        return new Rle(height, width, countsFromSortedToggles(toggles, n));
    }

    /**
     * Rasterises a box {@code [x, y, w, h]} as pycocotools' {@code frBbox} does: as the polygon of its four corners.
     */
    public static Rle box(double[] bbox, int height, int width) {
        if (bbox.length != 4) {
            throw new IllegalArgumentException("box needs 4 values [x, y, w, h], found " + bbox.length);
        }
        double xs = bbox[0];
        double ys = bbox[1];
        double xe = xs + bbox[2];
        double ye = ys + bbox[3];
        return polygon(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
    }

    /**
     * Rasterises a COCO polygon list as {@code annToRLE} does: each polygon on its own, then the union. Follows
     * pycocotools' dispatch on the first entry: 4 values means every entry is a box {@code [x, y, w, h]}, more than 4
     * means polygons, fewer is not a segmentation pycocotools can read.
     */
    public static Rle polygons(List<double[]> polygons, int height, int width) {
        check(polygons);
        boolean boxes = polygons.get(0).length == 4;
        List<Rle> parts = new ArrayList<>(polygons.size());
        for (double[] p : polygons) {
            parts.add(boxes ? box(p, height, width) : polygon(p, height, width));
        }
        return parts.size() == 1 ? parts.get(0) : Rle.union(parts, height, width);
    }

    /**
     * Checks a polygon list the way {@link #polygons} reads it, without rasterising: not empty, first entry of at
     * least 4 values, all-boxes when the first is a box, even coordinate counts.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void check(List<double[]> polygons) {
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException("polygon list is empty");
        }
        int first = polygons.get(0).length;
        if (first < 4) {
            throw new IllegalArgumentException("first polygon has " + first + " coordinates, needs at least 6");
        }
        for (double[] p : polygons) {
            if (first == 4 && p.length != 4) {
                throw new IllegalArgumentException(
                        "polygon list mixes a 4-value box with a polygon of " + p.length + " coordinates");
            }
            if (p.length % 2 != 0) {
                throw new IllegalArgumentException("polygon has an odd number of coordinates (" + p.length + ")");
            }
        }
    }

    /** Toggle positions (sorted, last = h*w) to run lengths; coinciding toggles cancel as in rleFrPoly. */
    private static long[] countsFromSortedToggles(long[] a, int k) {
        long prev = 0;
        for (int j = 0; j < k; j++) {
            long t = a[j];
            a[j] -= prev;
            prev = t;
        }
        long[] b = new long[k];
        int m = 0;
        int j = 0;
        b[m++] = a[j++];
        while (j < k) {
            if (a[j] > 0) {
                b[m++] = a[j++];
            } else {
                // a zero run means two toggles at one place: they cancel, so the next run extends the previous one
                j++;
                if (j < k) {
                    b[m - 1] += a[j++];
                }
            }
        }
        return Arrays.copyOf(b, m);
    }
}
