package io.roadneg.cli;

import io.roadneg.datasets.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The paired difference of a metric between a source and the reference source over the seeds both finished, with an
 * interval: for {@value #BOOTSTRAP_FROM} seeds or more a percentile bootstrap of the mean difference
 * ({@value #RESAMPLES} resamples, 95 %, from a generator seeded by the row's name, so the same cells give the same
 * bytes); below that the exact sign-test interval of the median difference, from the smallest to the largest
 * difference, whose coverage is exactly {@code 1 - 2^(1-n)} (75 % for three seeds), with the exact two-sided sign-test
 * p-value. A bootstrap of three values only knows ten resamples, so it would claim a precision it does not have.
 *
 * @param values per-seed differences (source minus reference), in seed order
 * @param mean their mean
 * @param method {@code bootstrap}, {@code sign-test} or {@code none} (fewer than two seeds)
 * @param low the interval's low end (NaN without an interval)
 * @param high the interval's high end
 * @param level the interval's coverage
 * @param signTestP the exact two-sided sign-test p-value (NaN for the bootstrap)
 */
record PairedDifference(List<Double> values, double mean, String method, double low, double high, double level,
        double signTestP) {
    /** Seeds from which the bootstrap is used. */
    static final int BOOTSTRAP_FROM = 6;
    /** Bootstrap resamples. */
    static final int RESAMPLES = 10_000;
    /** Bootstrap interval coverage. */
    static final double LEVEL = 0.95;

    /** The difference of {@code values}; {@code key} names the row and seeds the bootstrap. */
    static PairedDifference of(List<Double> values, String key) {
        double[] d = values.stream().mapToDouble(Double::doubleValue).toArray();
        int n = d.length;
        double mean = Arrays.stream(d).sum() / Math.max(1, n);
        if (n < 2) {
            return new PairedDifference(List.copyOf(values), n == 0 ? Double.NaN : mean, "none", Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        if (n >= BOOTSTRAP_FROM) {
            SplittableRandom rng = Seeds.splittable(key.hashCode(), "ablate/bootstrap", n);
            double[] means = new double[RESAMPLES];
            for (int r = 0; r < RESAMPLES; r++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += d[rng.nextInt(n)];
                }
                means[r] = s / n;
            }
            Arrays.sort(means);
            double tail = (1 - LEVEL) / 2;
            return new PairedDifference(List.copyOf(values), mean, "bootstrap",
                    means[(int) Math.floor(tail * RESAMPLES)], means[(int) Math.ceil((1 - tail) * RESAMPLES) - 1],
                    LEVEL, Double.NaN);
        }
        double[] s = d.clone();
        Arrays.sort(s);
        return new PairedDifference(List.copyOf(values), mean, "sign-test", s[0], s[n - 1], 1 - Math.pow(2, 1 - n),
                signTestP(d));
    }

    /** Exact two-sided sign test of a zero median: zeros dropped, {@code min(1, 2 P(X <= min(pos, neg)))}. */
    static double signTestP(double[] d) {
        int pos = 0;
        int neg = 0;
        for (double v : d) {
            if (v > 0) {
                pos++;
            } else if (v < 0) {
                neg++;
            }
        }
        int m = pos + neg;
        if (m == 0) {
            return 1.0;
        }
        int k = Math.min(pos, neg);
        double tail = 0;
        double c = 1; // C(m, 0)
        for (int i = 0; i <= k; i++) {
            tail += c;
            c = c * (m - i) / (i + 1);
        }
        return Math.min(1.0, 2 * tail / Math.pow(2, m));
    }

    /** Whether the interval holds zero (no interval counts as holding it). */
    boolean crossesZero() {
        return !(low > 0 || high < 0);
    }
}
