package io.roadneg.datasets.sample;

import java.util.SplittableRandom;

/**
 * Per-item random streams derived from (run seed, stream name, item index), so an item's bytes never depend on the
 * order or the thread in which items are made.
 */
final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit value from any 64-bit input. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The seed of item {@code index} of stream {@code stream} in run {@code runSeed}. */
    static long of(long runSeed, String stream, long index) {
        long h = mix(runSeed ^ 0x9e3779b97f4a7c15L);
        for (int i = 0; i < stream.length(); i++) {
            h = mix(h + stream.charAt(i));
        }
        return mix(h + index * 0x9e3779b97f4a7c15L);
    }

    /** A random stream for item {@code index} of {@code stream}. */
    static SplittableRandom rng(long runSeed, String stream, long index) {
        return new SplittableRandom(of(runSeed, stream, index));
    }
}
