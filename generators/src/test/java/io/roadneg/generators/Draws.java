package io.roadneg.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.image.RgbImage;
import io.roadneg.pasting.PasteObject;
import java.util.Map;
import java.util.Random;

/** Test fixtures for rates of random decisions: a source of tiny objects and a binomial check. */
public final class Draws {
    private Draws() {
    }

    /** A source of 3x3 squares: a planner's decisions without the cost of real objects. */
    public static final class Squares extends IndexedSource {
        @Override
        public String name() {
            return "squares";
        }

        @Override
        public int size() {
            return 7;
        }

        @Override
        public String itemId(int index) {
            return "squares:" + index;
        }

        @Override
        public Map<String, Object> draw(int index, Random rng) {
            return Map.of("shade", rng.nextInt(256));
        }

        @Override
        public PasteObject load(int index, Map<String, Object> draw) {
            return new PasteObject(RgbImage.blank(3, 3), new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, itemId(index), 1,
                    "square");
        }

        @Override
        public Map<Integer, String> categories() {
            return Map.of(1, "square");
        }
    }

    /**
     * Asserts {@code k} successes of {@code n} are what a rate {@code p} gives: exact at 0 and 1, else within five
     * binomial standard deviations (a wrong rate of the kind a shared stream gives, min(a, b) for a x b, is far
     * outside).
     */
    public static void assertRate(double p, long k, int n, String what) {
        if (p == 0 || p == 1) {
            assertEquals(Math.round(p * n), k, what);
            return;
        }
        double sd = Math.sqrt(n * p * (1 - p));
        assertTrue(Math.abs(k - n * p) <= 5 * sd, what + ": " + k + " of " + n + ", expected " + n * p + " +- "
                + 5 * sd);
    }
}
