package io.roadneg.datasets.sample;

import io.roadneg.datasets.Seeds;

/** Deterministic hash noise: per-pixel white noise and smooth value noise, pure functions of (seed, x, y). */
final class Noise {
    private Noise() {
    }

    /** Uniform in [0, 1) for an integer lattice point. */
    static double hash01(long seed, long x, long y) {
        long h = Seeds.mix(seed ^ Seeds.mix(x * 0x632be59bd9b4e019L + y * 0x85157af5L));
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Smooth value noise in [0, 1): lattice values blended with a smoothstep, two octaves. */
    static double smooth(long seed, double x, double y) {
        return 0.65 * octave(seed, x, y) + 0.35 * octave(seed + 1, x * 2.7, y * 2.7);
    }

    private static double octave(long seed, double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        long ix = (long) fx;
        long iy = (long) fy;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = hash01(seed, ix, iy);
        double b = hash01(seed, ix + 1, iy);
        double c = hash01(seed, ix, iy + 1);
        double d = hash01(seed, ix + 1, iy + 1);
        return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
    }
}
