package io.roadneg.datasets.sample;

import java.util.Arrays;
import java.util.List;

/**
 * Polygon scan conversion without antialiasing: a pixel belongs to a shape when its centre {@code (x + 0.5, y + 0.5)}
 * lies inside by the even-odd rule, so label maps get exact ids and a ring inside a ring makes a hole.
 */
final class Raster {
    /** Receives the covered pixels of one row, {@code x0..x1} inclusive. */
    @FunctionalInterface
    interface SpanSink {
        void span(int y, int x0, int x1);
    }

    private Raster() {
    }

    /** Calls {@code sink} for every covered span of the rings (flat {@code x0,y0,x1,y1,...}) inside a w x h grid. */
    static void fill(List<double[]> rings, int w, int h, SpanSink sink) {
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        int edges = 0;
        for (double[] r : rings) {
            for (int i = 1; i < r.length; i += 2) {
                ymin = Math.min(ymin, r[i]);
                ymax = Math.max(ymax, r[i]);
            }
            edges += r.length / 2;
        }
        if (edges == 0) {
            return;
        }
        int y0 = Math.max(0, (int) Math.floor(ymin - 0.5));
        int y1 = Math.min(h - 1, (int) Math.ceil(ymax));
        double[] xs = new double[edges];
        for (int y = y0; y <= y1; y++) {
            double yc = y + 0.5;
            int n = 0;
            for (double[] r : rings) {
                int m = r.length / 2;
                for (int i = 0; i < m; i++) {
                    int j = (i + 1) % m;
                    double ax = r[2 * i];
                    double ay = r[2 * i + 1];
                    double bx = r[2 * j];
                    double by = r[2 * j + 1];
                    // half-open rule: an edge counts when yc is in [min, max), so shared vertices are counted once
                    if ((ay <= yc && yc < by) || (by <= yc && yc < ay)) {
                        xs[n++] = ax + (yc - ay) * (bx - ax) / (by - ay);
                    }
                }
            }
            if (n < 2) {
                continue;
            }
            Arrays.sort(xs, 0, n);
            for (int k = 0; k + 1 < n; k += 2) {
                int xa = Math.max(0, (int) Math.ceil(xs[k] - 0.5));
                int xb = Math.min(w - 1, (int) Math.ceil(xs[k + 1] - 0.5) - 1);
                if (xa <= xb) {
                    sink.span(y, xa, xb);
                }
            }
        }
    }

    /**
     * Clips a ring to the rectangle [0, w] x [0, h] (Sutherland-Hodgman), as Cityscapes polygons stay inside the
     * image; returns an empty array when nothing is left.
     */
    static double[] clip(double[] ring, double w, double h) {
        double[] cur = ring;
        for (int side = 0; side < 4; side++) {
            cur = clipSide(cur, side, w, h);
            if (cur.length == 0) {
                break;
            }
        }
        return cur;
    }

    private static boolean inside(double x, double y, int side, double w, double h) {
        return switch (side) {
            case 0 -> x >= 0;
            case 1 -> x <= w;
            case 2 -> y >= 0;
            default -> y <= h;
        };
    }

    private static double[] clipSide(double[] r, int side, double w, double h) {
        int m = r.length / 2;
        double[] out = new double[4 * m + 4];
        int n = 0;
        for (int i = 0; i < m; i++) {
            double ax = r[2 * i];
            double ay = r[2 * i + 1];
            int j = (i + 1) % m;
            double bx = r[2 * j];
            double by = r[2 * j + 1];
            boolean ain = inside(ax, ay, side, w, h);
            boolean bin = inside(bx, by, side, w, h);
            if (ain) {
                out[n++] = ax;
                out[n++] = ay;
            }
            if (ain != bin) {
                double t = switch (side) {
                    case 0 -> (0 - ax) / (bx - ax);
                    case 1 -> (w - ax) / (bx - ax);
                    case 2 -> (0 - ay) / (by - ay);
                    default -> (h - ay) / (by - ay);
                };
                out[n++] = ax + t * (bx - ax);
                out[n++] = ay + t * (by - ay);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Rounds vertices to whole pixels and drops consecutive repeats (what a polygons.json can store). */
    static double[] snap(double[] ring) {
        double[] out = new double[ring.length];
        int n = 0;
        for (int i = 0; i < ring.length; i += 2) {
            double x = Math.rint(ring[i]);
            double y = Math.rint(ring[i + 1]);
            if (n >= 2 && out[n - 2] == x && out[n - 1] == y) {
                continue;
            }
            out[n++] = x;
            out[n++] = y;
        }
        if (n >= 4 && out[0] == out[n - 2] && out[1] == out[n - 1]) {
            n -= 2;
        }
        return Arrays.copyOf(out, n);
    }
}
