package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The paired difference: sign-test interval for few seeds, seeded bootstrap from six. */
class PairedDifferenceTest {
    @Test
    void fewSeedsGiveTheExactSignTestInterval() {
        PairedDifference p = PairedDifference.of(List.of(0.03, -0.01, 0.02), "row");
        assertEquals("sign-test", p.method());
        assertEquals(-0.01, p.low());
        assertEquals(0.03, p.high());
        assertEquals(0.75, p.level(), 1e-15, "1 - 2^(1-3)");
        assertEquals(1.0, p.signTestP(), 1e-15, "2 positive, 1 negative: 2 * P(X <= 1 | 3) = 2 * 4/8, capped at 1");
        assertTrue(p.crossesZero());
        PairedDifference all = PairedDifference.of(List.of(0.01, 0.02, 0.04), "row");
        assertFalse(all.crossesZero(), "every seed better");
        assertEquals(0.25, all.signTestP(), 1e-15, "2 * (1/2)^3");
        assertEquals(0.07 / 3, all.mean(), 1e-15);
    }

    @Test
    void signTestPValueMatchesTheBinomial() {
        // 8 of 10 positive: 2 * P(X <= 2 | n = 10) = 2 * (1 + 10 + 45) / 1024
        double[] d = {1, 1, 1, 1, 1, 1, 1, 1, -1, -1, 0};
        assertEquals(2 * 56 / 1024.0, PairedDifference.signTestP(d), 1e-15, "the zero is dropped");
    }

    @Test
    void manySeedsBootstrapTheMeanReproducibly() {
        List<Double> d = List.of(0.05, 0.06, 0.04, 0.07, 0.05, 0.06, 0.08, 0.03);
        PairedDifference a = PairedDifference.of(d, "coco densehybrid mean ap");
        PairedDifference b = PairedDifference.of(d, "coco densehybrid mean ap");
        assertEquals("bootstrap", a.method());
        assertEquals(a, b, "seeded by the row: same bytes every time");
        assertEquals(0.95, a.level());
        assertTrue(a.low() > 0.03 && a.low() < a.mean() && a.high() > a.mean() && a.high() < 0.08, a.toString());
        assertFalse(a.crossesZero());
        PairedDifference noisy = PairedDifference.of(List.of(0.1, -0.1, 0.05, -0.08, 0.02, -0.03), "x");
        assertTrue(noisy.crossesZero(), noisy.toString());
    }

    @Test
    void oneSeedHasNoInterval() {
        PairedDifference p = PairedDifference.of(List.of(0.2), "x");
        assertEquals("none", p.method());
        assertTrue(Double.isNaN(p.low()));
    }
}
