package io.roadneg.datasets.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Flat vertex rings ({@code x0,y0,x1,y1,...}) for the primitives the sample scenes are built from. */
final class Shapes {
    private Shapes() {
    }

    static double[] rect(double x0, double y0, double x1, double y1) {
        return new double[] {x0, y0, x1, y0, x1, y1, x0, y1};
    }

    static double[] ellipse(double cx, double cy, double rx, double ry, int n) {
        double[] r = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            r[2 * i] = cx + rx * Math.cos(a);
            r[2 * i + 1] = cy + ry * Math.sin(a);
        }
        return r;
    }

    /** A lumpy closed outline (tree crowns, bushes, debris): radius varies by up to {@code rough} of itself. */
    static double[] blob(SplittableRandom rng, double cx, double cy, double rx, double ry, int n, double rough) {
        double[] r = new double[2 * n];
        double phase = rng.nextDouble() * Math.PI;
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            double k = 1 + rough * (rng.nextDouble() - 0.5) * 2 + 0.5 * rough * Math.sin(3 * a + phase);
            r[2 * i] = cx + rx * k * Math.cos(a);
            r[2 * i + 1] = cy + ry * k * Math.sin(a);
        }
        return r;
    }

    /** A star with {@code points} tips. */
    static double[] star(double cx, double cy, double rOuter, double rInner, int points, double rotation) {
        double[] r = new double[4 * points];
        for (int i = 0; i < 2 * points; i++) {
            double a = rotation + Math.PI * i / points;
            double rad = (i % 2 == 0) ? rOuter : rInner;
            r[2 * i] = cx + rad * Math.cos(a);
            r[2 * i + 1] = cy + rad * Math.sin(a);
        }
        return r;
    }

    /** A ring scaled by (sx, sy) about the origin and then moved by (dx, dy). */
    static double[] place(double[] unit, double sx, double sy, double dx, double dy) {
        double[] r = new double[unit.length];
        for (int i = 0; i < unit.length; i += 2) {
            r[i] = unit[i] * sx + dx;
            r[i + 1] = unit[i + 1] * sy + dy;
        }
        return r;
    }

    /** The convex hull of a point set (monotone chain), counter-clockwise in image coordinates. */
    static double[] hull(double[] pts) {
        int n = pts.length / 2;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> pts[2 * a] != pts[2 * b] ? Double.compare(pts[2 * a], pts[2 * b])
                : Double.compare(pts[2 * a + 1], pts[2 * b + 1]));
        int[] h = new int[2 * n];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            int start = k;
            for (int q = 0; q < n; q++) {
                int i = pass == 0 ? idx[q] : idx[n - 1 - q];
                while (k >= start + 2 && cross(pts, h[k - 2], h[k - 1], i) <= 0) {
                    k--;
                }
                h[k++] = i;
            }
            k--;
        }
        double[] out = new double[2 * k];
        for (int i = 0; i < k; i++) {
            out[2 * i] = pts[2 * h[i]];
            out[2 * i + 1] = pts[2 * h[i] + 1];
        }
        return out;
    }

    private static double cross(double[] p, int o, int a, int b) {
        return (p[2 * a] - p[2 * o]) * (p[2 * b + 1] - p[2 * o + 1])
                - (p[2 * a + 1] - p[2 * o + 1]) * (p[2 * b] - p[2 * o]);
    }

    static List<double[]> one(double[] ring) {
        List<double[]> l = new ArrayList<>(1);
        l.add(ring);
        return l;
    }
}
