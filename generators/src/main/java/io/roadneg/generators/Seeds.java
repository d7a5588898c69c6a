package io.roadneg.generators;

import java.util.Random;

/** Per-item seeds: an item's random stream depends only on (run seed, item index), never on threads or order. */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finaliser: a bijective mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The seed of item {@code index} in a run seeded with {@code runSeed}. */
    public static long itemSeed(long runSeed, long index) {
        return mix(mix(runSeed) + 0x9e3779b97f4a7c15L * (index + 1));
    }

    /** A fresh generator for item {@code index}. */
    public static Random itemRandom(long runSeed, long index) {
        return new Random(itemSeed(runSeed, index));
    }
}
