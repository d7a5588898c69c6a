package io.roadneg.datasets.sample;

import java.util.SplittableRandom;

/**
 * How a surface is coloured in the image: a base colour modulated by smooth blotches (value noise of a given cell
 * size), per-pixel grain and a vertical shading ramp over the shape. Labels never see it.
 *
 * @param rgb base colour 0xRRGGBB
 * @param grain per-pixel noise amplitude in 0..255 units
 * @param blotch relative amplitude of the smooth noise (0.2 = +-10 %)
 * @param cell size of the smooth noise in pixels
 * @param top brightness factor at the top of the shape
 * @param bottom brightness factor at the bottom of the shape
 */
record Material(int rgb, double grain, double blotch, double cell, double top, double bottom) {

    /** A plain material: mild grain and blotches, no shading ramp. */
    static Material of(int rgb) {
        return new Material(rgb, 10, 0.15, 6, 1.0, 1.0);
    }

    /** The base colour shifted by up to {@code spread} per channel, so a class is never one constant colour. */
    static Material jittered(SplittableRandom rng, int rgb, int spread) {
        return of(jitter(rng, rgb, spread));
    }

    /** A colour shifted by up to {@code spread} per channel (brightness and hue both move). */
    static int jitter(SplittableRandom rng, int rgb, int spread) {
        int common = rng.nextInt(2 * spread + 1) - spread;
        int r = clamp((rgb >>> 16 & 0xff) + common + rng.nextInt(spread + 1) - spread / 2);
        int g = clamp((rgb >>> 8 & 0xff) + common + rng.nextInt(spread + 1) - spread / 2);
        int b = clamp((rgb & 0xff) + common + rng.nextInt(spread + 1) - spread / 2);
        return r << 16 | g << 8 | b;
    }

    Material withGrain(double g) {
        return new Material(rgb, g, blotch, cell, top, bottom);
    }

    Material withBlotch(double amplitude, double cellSize) {
        return new Material(rgb, grain, amplitude, cellSize, top, bottom);
    }

    Material withShade(double topFactor, double bottomFactor) {
        return new Material(rgb, grain, blotch, cell, topFactor, bottomFactor);
    }

    static int clamp(double v) {
        return v < 0 ? 0 : v > 255 ? 255 : (int) Math.round(v);
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
