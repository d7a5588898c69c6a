package io.roadneg.datasets.sample;

import io.roadneg.datasets.cityscapes.CityscapesLabel;
import io.roadneg.datasets.cityscapes.CityscapesLabels;
import io.roadneg.datasets.cityscapes.CityscapesWriter.LabelledPolygon;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.sample.StreetPlan.Building;
import io.roadneg.datasets.sample.StreetPlan.Kind;
import io.roadneg.datasets.sample.StreetPlan.Thing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Applies a {@link StreetPlan}: projects the world through a pinhole camera and draws every surface as an integer
 * polygon, back to front, into labels and image at once. The polygons, in drawing order, are the frame's
 * {@code polygons.json}: re-filling them in order gives the labelIds exactly.
 */
final class StreetRenderer {
    /** Value of the mark layer on anomaly objects. */
    static final int ANOMALY_MARK = 1;

    /**
     * One rendered scene.
     *
     * @param image the picture
     * @param labelIds Cityscapes labelIds (anomaly objects carry "dynamic")
     * @param instanceIds Cityscapes instanceIds
     * @param anomalies 1 on anomaly objects, 0 elsewhere
     * @param polygons every drawn labelled polygon, back to front
     */
    record StreetFrame(RgbImage image, LabelMap labelIds, LabelMap instanceIds, LabelMap anomalies,
            List<LabelledPolygon> polygons) {
    }

    // unit person outline (height 1, feet at y = 0, up is negative), right half from the top of the head down
    private static final double[] PERSON_HALF = {0, -1.0, 0.045, -0.985, 0.065, -0.935, 0.055, -0.885, 0.03, -0.86,
        0.12, -0.82, 0.15, -0.74, 0.17, -0.52, 0.135, -0.51, 0.115, -0.68, 0.11, -0.48, 0.115, -0.02, 0.115, 0,
        0.035, 0, 0.02, -0.40, 0, -0.44};
    // unit quadruped (length 1, feet at y = 0, facing +x)
    private final StreetPlan p;
    private final Canvas canvas;
    private final List<LabelledPolygon> polygons = new ArrayList<>();
    private final Map<Integer, Integer> nextInstance = new HashMap<>();

    private StreetRenderer(StreetPlan plan) {
        this.p = plan;
        this.canvas = new Canvas(plan.width(), plan.height(), plan.textureSeed(), plan.light(), plan.tint());
    }

    /** Renders a plan. */
    static StreetFrame render(StreetPlan plan) {
        StreetRenderer r = new StreetRenderer(plan);
        r.draw();
        Canvas c = r.canvas;
        return new StreetFrame(c.image(), c.labelMap(), c.instanceMap(), c.markMap(), List.copyOf(r.polygons));
    }

    private void draw() {
        int w = p.width();
        int h = p.height();
        int[] col = p.colors();
        // sky over everything first so that no pixel stays unlabelled; a colour ramp down to the horizon
        fillLabel("sky", Shapes.rect(0, 0, w, h), 0, new Material(col[4], 4, 0.12, w / 6.0, 1, 1));
        int bands = 16;
        for (int b = 0; b < bands; b++) {
            double t = (double) b / bands;
            int c = lerp(col[4], col[5], Math.pow(t, 0.8));
            canvas.paint(Shapes.one(Shapes.rect(0, p.horizon() * t, w, p.horizon() * (t + 1.0 / bands) + 1)),
                    new Material(c, 3, 0.10, w / 5.0, 1, 1));
        }
        skyline();
        // ground, then the strips of the street from the outside in
        fillLabel("terrain", Shapes.rect(0, Math.floor(p.horizon()), w, h), 0,
                Material.of(col[2]).withBlotch(0.25, 5));
        double zn = 0.5;
        double zf = 600;
        for (int side = -1; side <= 1; side += 2) {
            double walk = p.roadHalf() + p.sidewalk();
            double terr = p.terrain()[(side + 1) / 2];
            if (terr > 0) {
                fillLabel("terrain", ground(side * walk, side * (walk + terr), zn, zf), 0,
                        Material.of(col[2]).withBlotch(0.3, 4));
            }
            fillLabel("sidewalk", ground(side * p.roadHalf(), side * walk, zn, zf), 0,
                    Material.of(col[1]).withBlotch(0.12, 3).withGrain(14));
            // kerb stones: a lighter band at the road edge, part of the sidewalk
            canvas.paint(Shapes.one(ground(side * p.roadHalf(), side * (p.roadHalf() + 0.18), zn, zf)),
                    Material.of(lighten(col[1], 1.25)));
        }
        fillLabel("road", ground(-p.roadHalf(), p.roadHalf(), zn, zf), 0,
                Material.of(col[0]).withGrain(16).withBlotch(0.18, 8));
        laneMarkings(zn);
        for (int side = -1; side <= 1; side += 2) {
            List<Building> mine = new ArrayList<>();
            for (Building b : p.buildings()) {
                if (b.side() == side) {
                    mine.add(b);
                }
            }
            mine.sort((a, b) -> Double.compare(b.z0(), a.z0()));
            for (Building b : mine) {
                building(b);
            }
        }
        for (Thing t : p.objects()) {
            thing(t);
        }
        egoVehicle();
    }

    private void skyline() {
        SplittableRandom rng = new SplittableRandom(p.textureSeed() ^ 0x5ca1ab1eL);
        double z = 260;
        double x = -p.width() * 0.1;
        while (x < p.width()) {
            double bw = p.width() * (0.03 + 0.08 * rng.nextDouble());
            double top = p.horizon() - p.focal() * (4 + 22 * rng.nextDouble()) / z;
            fillLabel("building", Shapes.rect(x, top, x + bw, p.horizon() + 1), 0,
                    Material.of(Material.jitter(rng, p.colors()[6], 12)).withShade(1.05, 0.9));
            x += bw * (0.7 + 0.5 * rng.nextDouble());
        }
    }

    private void laneMarkings(double zn) {
        Material paintW = Material.of(0xdcdcd4).withGrain(12);
        for (double z = zn + 2; z < 150; z += 9) {
            canvas.paint(Shapes.one(groundQuad(-0.07, 0.07, z, z + 3)), paintW);
        }
        for (int side = -1; side <= 1; side += 2) {
            double e = side * (p.roadHalf() - 0.3);
            canvas.paint(Shapes.one(groundQuad(e - 0.07, e + 0.07, zn, 300)), paintW);
        }
    }

    private void building(Building b) {
        double fx = b.side() * (p.roadHalf() + p.sidewalk() + p.terrain()[(b.side() + 1) / 2]);
        double[] wall = quad(fx, 0, b.z0(), fx, 0, b.z1(), fx, b.top(), b.z1(), fx, b.top(), b.z0());
        fillLabel("building", wall, 0, Material.of(b.rgb()).withBlotch(0.14, 7).withShade(1.08, 0.92));
        Material glass = Material.of(b.windowRgb()).withShade(1.3, 0.8).withGrain(6);
        for (double y = 1.0; y + 1.8 < b.top(); y += 3.2) {
            for (double z = b.z0() + 1.0; z + 1.6 < b.z1(); z += 2.8) {
                double[] win = quad(fx, y, z, fx, y, z + 1.4, fx, y + 1.7, z + 1.4, fx, y + 1.7, z);
                if (Math.abs(win[2] - win[0]) >= 1.2) {
                    canvas.paint(Shapes.one(win), glass);
                }
            }
        }
    }

    private void thing(Thing t) {
        switch (t.kind()) {
            case TREE -> tree(t);
            case POLE, POLE_SIGN, POLE_LIGHT -> pole(t);
            case CAR -> car(t);
            case PERSON -> person(t);
            case ANIMAL -> {
                double[] unit = t.variant() % 2 == 0 ? OddObjects.ANIMAL : OddObjects.mirror(OddObjects.ANIMAL);
                double s = p.focal() * t.size() / t.z();
                double[] foot = project(t.x(), 0, t.z());
                anomaly(Shapes.place(unit, s, s, foot[0], foot[1]), null,
                        Material.of(t.rgb()).withBlotch(t.variant() % 3 == 0 ? 0.6 : 0.2, 2 + s / 8));
            }
            case BOX -> {
                double hw = t.size() / 2;
                double hgt = t.size() * 0.7;
                double[] pts = new double[16];
                int k = 0;
                for (double x : new double[] {t.x() - hw, t.x() + hw}) {
                    for (double y : new double[] {0, hgt}) {
                        for (double z : new double[] {t.z(), t.z() + t.size() * 0.8}) {
                            double[] q = project(x, y, z);
                            pts[k++] = q[0];
                            pts[k++] = q[1];
                        }
                    }
                }
                double[] tape = quad(t.x() - 0.04, 0, t.z(), t.x() + 0.04, 0, t.z(), t.x() + 0.04, hgt, t.z(),
                        t.x() - 0.04, hgt, t.z());
                anomaly(Shapes.hull(pts), tape, Material.of(t.rgb()).withShade(1.2, 0.85));
            }
            case TYRE -> {
                double r = t.size() / 2;
                double[] c = project(t.x(), r, t.z());
                double rp = p.focal() * r / t.z();
                List<double[]> rings = new ArrayList<>();
                rings.add(Shapes.ellipse(c[0], c[1], rp * 0.9, rp, 28));
                rings.add(Shapes.ellipse(c[0], c[1], rp * 0.45, rp * 0.5, 20));
                fillAnomaly(rings, Material.of(t.rgb()).withGrain(8));
            }
            default -> {
                SplittableRandom rng = new SplittableRandom(t.variant());
                double[] c = project(t.x(), t.size() * 0.12, t.z());
                double rp = p.focal() * t.size() / 2 / t.z();
                anomaly(Shapes.blob(rng, c[0], c[1], rp, rp * 0.35, 14, 0.35), null,
                        Material.of(t.rgb()).withBlotch(0.4, 2).withGrain(20));
            }
        }
    }

    private void tree(Thing t) {
        double[] base = project(t.x(), 0, t.z());
        double s = p.focal() / t.z();
        double trunkW = Math.max(1.5, 0.35 * s);
        fillLabel("vegetation", Shapes.rect(base[0] - trunkW / 2, base[1] - 0.55 * t.size() * s, base[0] + trunkW / 2,
                base[1]), 0, Material.of(t.rgb2()).withShade(0.9, 1.1));
        SplittableRandom rng = new SplittableRandom(t.variant());
        double[] crown = Shapes.blob(rng, base[0], base[1] - 0.68 * t.size() * s, 0.3 * t.size() * s,
                0.32 * t.size() * s, 18, 0.18);
        fillLabel("vegetation", crown, 0, Material.of(t.rgb()).withBlotch(0.45, 2.5).withGrain(18)
                .withShade(1.15, 0.8));
    }

    private void pole(Thing t) {
        double s = p.focal() / t.z();
        double[] base = project(t.x(), 0, t.z());
        double pw = Math.max(1.2, 0.15 * s);
        double top = base[1] - t.size() * s;
        fillLabel("pole", Shapes.rect(base[0] - pw / 2, top, base[0] + pw / 2, base[1]), 0,
                Material.of(t.rgb()).withShade(1.1, 0.9));
        if (t.kind() == Kind.POLE_SIGN) {
            double r = 0.35 * s;
            double cy = top + r;
            double[] ring;
            int face;
            int inner;
            switch (t.variant()) {
                case 0 -> {
                    ring = Shapes.ellipse(base[0], cy, r, r, 16);
                    face = 0x1e50b4;
                    inner = 0xe8e8e8;
                }
                case 1 -> {
                    ring = new double[] {base[0], cy - r, base[0] + r, cy + r * 0.75, base[0] - r, cy + r * 0.75};
                    face = 0xc81e1e;
                    inner = 0xf0f0f0;
                }
                default -> {
                    ring = Shapes.rect(base[0] - r, cy - r * 0.75, base[0] + r, cy + r * 0.75);
                    face = 0xf0c814;
                    inner = 0x202020;
                }
            }
            double[] drawn = fillLabel("traffic sign", ring, 0, Material.of(face).withGrain(6));
            if (drawn != null) {
                canvas.paint(Shapes.one(Shapes.ellipse(base[0], cy + (t.variant() == 1 ? r * 0.2 : 0), r * 0.45,
                        r * 0.3, 10)), Material.of(inner).withGrain(4));
            }
        } else if (t.kind() == Kind.POLE_LIGHT) {
            double bw = 0.4 * s;
            double bh = 1.0 * s;
            double x0 = base[0] + (t.x() < 0 ? pw / 2 : -pw / 2 - bw);
            double[] drawn = fillLabel("traffic light", Shapes.rect(x0, top, x0 + bw, top + bh), 0,
                    Material.of(0x202224).withGrain(5));
            if (drawn != null) {
                int[] lamps = {0xff2a1a, 0xffb000, 0x20e060};
                for (int i = 0; i < 3; i++) {
                    int c = i == t.variant() ? lamps[i] : lighten(lamps[i], 0.25);
                    canvas.paint(Shapes.one(Shapes.ellipse(x0 + bw / 2, top + bh * (i + 0.5) / 3, bw * 0.3, bh * 0.1,
                            10)), Material.of(c).withGrain(4));
                }
            }
        }
    }

    private void car(Thing t) {
        double w = t.size();
        double len = 2.4 * w;
        double hb = 0.5 * w;
        double hc = 0.8 * w;
        double xl = t.x() - w / 2;
        double xr = t.x() + w / 2;
        double z0 = t.z();
        double z1 = t.z() + len;
        double[] pts = new double[32];
        int k = 0;
        double[][] boxes = {{xl, xr, 0, hb, z0, z1}, {xl + 0.12 * w, xr - 0.12 * w, hb, hc, z0 + 0.5 * w,
            z1 - 0.7 * w}};
        for (double[] b : boxes) {
            for (int i = 0; i < 8; i++) {
                double[] q = project(b[i & 1], b[2 + (i >> 1 & 1)], b[4 + (i >> 2 & 1)]);
                pts[k++] = q[0];
                pts[k++] = q[1];
            }
        }
        // the shadow under the car darkens the road around its footprint (image only)
        canvas.paint(Shapes.one(groundQuad(xl - 0.15, xr + 0.15, z0 - 0.2, z1)), Material.of(lighten(p.colors()[0],
                0.45)).withGrain(6));
        int inst = instance(CityscapesLabels.id("car"));
        if (fillLabel("car", Shapes.hull(pts), inst, Material.of(t.rgb()).withShade(1.2, 0.75).withGrain(6)) == null) {
            return;
        }
        Material glass = Material.of(0x242c34).withShade(1.4, 0.8).withGrain(5);
        double ym = hb + 0.04 * w;
        within(quad(xl + 0.18 * w, ym, z0 + 0.05 * w, xr - 0.18 * w, ym, z0 + 0.05 * w, xr - 0.16 * w, hc - 0.04 * w,
                z0 + 0.48 * w, xl + 0.16 * w, hc - 0.04 * w, z0 + 0.48 * w), inst, glass);
        double sx = xl > p.camX() ? xl : xr < p.camX() ? xr : Double.NaN;
        if (!Double.isNaN(sx)) {
            double sxc = sx + (sx == xl ? 0.12 * w : -0.12 * w);
            within(quad(sxc, ym, z0 + 0.6 * w, sxc, ym, z1 - 0.8 * w, sxc, hc - 0.05 * w, z1 - 0.8 * w, sxc,
                    hc - 0.05 * w, z0 + 0.6 * w), inst, glass);
            for (double zw : new double[] {z0 + 0.45 * w, z1 - 0.45 * w}) {
                double[] c = project(sx, 0.18 * w, zw);
                double ry = p.focal() * 0.18 * w / zw;
                within(Shapes.ellipse(c[0], c[1], ry * 0.6, ry, 12), inst, Material.of(0x141414).withGrain(5));
            }
        }
        int lamp = t.variant() == 0 ? 0xc01818 : 0xe8e4c8;
        for (double lx : new double[] {xl + 0.05 * w, xr - 0.25 * w}) {
            within(quad(lx, 0.32 * w, z0, lx + 0.2 * w, 0.32 * w, z0, lx + 0.2 * w, 0.42 * w, z0, lx, 0.42 * w, z0),
                    inst, Material.of(lamp).withGrain(5));
        }
        within(quad(xl, 0, z0, xr, 0, z0, xr, 0.14 * w, z0, xl, 0.14 * w, z0), inst, Material.of(0x181818));
    }

    private void person(Thing t) {
        double s = p.focal() * t.size() / t.z();
        double[] foot = project(t.x(), 0, t.z());
        double[] outline = mirrorClose(PERSON_HALF);
        int inst = instance(CityscapesLabels.id("person"));
        double[] ring = Shapes.place(outline, s, s, foot[0], foot[1]);
        if (fillLabel("person", ring, inst, Material.of(t.rgb()).withShade(1.1, 0.9)) == null) {
            return;
        }
        within(Shapes.rect(foot[0] - s, foot[1] - 0.47 * s, foot[0] + s, foot[1] + 1), inst,
                Material.of(t.rgb2()));
        within(Shapes.rect(foot[0] - s, foot[1] - 1.01 * s, foot[0] + s, foot[1] - 0.865 * s), inst,
                Material.of(0xc89a78).withGrain(6));
        within(Shapes.rect(foot[0] - s, foot[1] - 1.01 * s, foot[0] + s, foot[1] - 0.955 * s), inst,
                Material.of(0x2a1e14).withGrain(6));
    }

    private void anomaly(double[] ring, double[] detail, Material m) {
        double[] drawn = fillAnomaly(Shapes.one(ring), m);
        if (drawn != null && detail != null) {
            canvas.paint(Shapes.one(detail), OddObjects.TAPE);
        }
    }

    /** Anomaly objects: labelId "dynamic", mark 1, and no polygon in the Cityscapes json (they are not classes). */
    private double[] fillAnomaly(List<double[]> rings, Material m) {
        List<double[]> clipped = new ArrayList<>();
        for (double[] r : rings) {
            double[] c = Raster.clip(r, p.width(), p.height());
            if (c.length >= 6) {
                clipped.add(c);
            }
        }
        if (clipped.isEmpty()) {
            return null;
        }
        int dynamic = CityscapesLabels.id("dynamic");
        canvas.fill(clipped, dynamic, dynamic, ANOMALY_MARK, m);
        return clipped.get(0);
    }

    private void egoVehicle() {
        int w = p.width();
        int h = p.height();
        int n = 16;
        double[] ring = new double[2 * n + 4];
        for (int i = 0; i < n; i++) {
            double x = w * i / (double) (n - 1);
            double u = 2 * x / w - 1;
            ring[2 * i] = x;
            ring[2 * i + 1] = h * (0.93 + 0.05 * u * u);
        }
        ring[2 * n] = w;
        ring[2 * n + 1] = h;
        ring[2 * n + 2] = 0;
        ring[2 * n + 3] = h;
        fillLabel("ego vehicle", ring, 0, Material.of(0x1c1c20).withShade(1.6, 0.7).withGrain(5));
    }

    /** Clips, snaps and fills one labelled polygon; returns the ring as drawn, or null if it is off the image. */
    private double[] fillLabel(String name, double[] ring, int instance, Material m) {
        double[] r = Raster.snap(Raster.clip(ring, p.width(), p.height()));
        if (r.length < 6) {
            return null;
        }
        CityscapesLabel lab = CityscapesLabels.byName(name).orElseThrow();
        List<int[]> pts = new ArrayList<>(r.length / 2);
        for (int i = 0; i < r.length; i += 2) {
            pts.add(new int[] {(int) r[i], (int) r[i + 1]});
        }
        polygons.add(new LabelledPolygon(name, pts));
        canvas.fill(Shapes.one(r), lab.id(), instance == 0 ? lab.id() : instance, 0, m);
        return r;
    }

    private void within(double[] ring, int inst, Material m) {
        canvas.paintWithin(Shapes.one(ring), inst, m);
    }

    private int instance(int labelId) {
        int k = nextInstance.merge(labelId, 1, Integer::sum) - 1;
        return labelId * 1000 + k;
    }

    private double[] project(double x, double y, double z) {
        return new double[] {p.vpX() + p.focal() * (x - p.camX()) / z, p.horizon() + p.focal() * (p.camH() - y) / z};
    }

    private double[] quad(double... xyz) {
        double[] r = new double[xyz.length / 3 * 2];
        for (int i = 0; i < xyz.length / 3; i++) {
            double[] q = project(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]);
            r[2 * i] = q[0];
            r[2 * i + 1] = q[1];
        }
        return r;
    }

    /** A ground strip between lateral positions x0 and x1 from z0 to z1. */
    private double[] ground(double x0, double x1, double z0, double z1) {
        return quad(x0, 0, z0, x1, 0, z0, x1, 0, z1, x0, 0, z1);
    }

    private double[] groundQuad(double x0, double x1, double z0, double z1) {
        return ground(x0, x1, Math.max(z0, 0.3), z1);
    }

    /** A symmetric outline from its right half (points from top to bottom on x = 0 ... x = 0). */
    private static double[] mirrorClose(double[] half) {
        int n = half.length / 2;
        double[] r = new double[2 * (2 * n - 2)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            r[k++] = half[2 * i];
            r[k++] = half[2 * i + 1];
        }
        for (int i = n - 2; i >= 1; i--) {
            r[k++] = -half[2 * i];
            r[k++] = half[2 * i + 1];
        }
        return r;
    }

    private static int lerp(int a, int b, double t) {
        int r = (int) Math.round((a >>> 16 & 0xff) * (1 - t) + (b >>> 16 & 0xff) * t);
        int g = (int) Math.round((a >>> 8 & 0xff) * (1 - t) + (b >>> 8 & 0xff) * t);
        int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return r << 16 | g << 8 | bl;
    }

    private static int lighten(int c, double f) {
        return Material.clamp((c >>> 16 & 0xff) * f) << 16 | Material.clamp((c >>> 8 & 0xff) * f) << 8
                | Material.clamp((c & 0xff) * f);
    }
}
