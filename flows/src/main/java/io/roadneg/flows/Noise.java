package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where the flow's standard-normal draws come from (dequantisation, cross-unit noise, sampling). The first axis of
 * every requested shape is the batch.
 */
@FunctionalInterface
public interface Noise {
    /** Standard-normal values of {@code shape} in {@code m}. */
    NDArray normal(NDManager m, Shape shape);

    /** The engine's generator: fast (on the device), seeded only globally (not reproducible per item). */
    static Noise engine() {
        return (m, s) -> m.randomNormal(s);
    }

    /**
     * One stream per batch item, seeded by (seed, first item + row), generated on the host with a fixed algorithm
     * (Box-Muller on SplittableRandom, StrictMath): item i draws the same values whatever the batch size, thread count
     * or machine.
     */
    static Noise seeded(long seed, long firstItem) {
        return new ItemStreams(seed, firstItem);
    }

    /** Per-item host streams (see {@link #seeded}). */
    final class ItemStreams implements Noise {
        private final long seed;
        private final long firstItem;
        private final List<SplittableRandom> streams = new ArrayList<>();
        private final List<double[]> spare = new ArrayList<>();

        ItemStreams(long seed, long firstItem) {
            this.seed = seed;
            this.firstItem = firstItem;
        }

        @Override
        public NDArray normal(NDManager m, Shape shape) {
            int items = Math.toIntExact(shape.get(0));
            int per = Math.toIntExact(shape.size() / items);
            float[] v = new float[items * per];
            for (int i = 0; i < items; i++) {
                while (streams.size() <= i) {
                    long item = firstItem + streams.size();
                    streams.add(new SplittableRandom(mix(seed, item)));
                    spare.add(new double[] {Double.NaN});
                }
                SplittableRandom r = streams.get(i);
                double[] s = spare.get(i);
                for (int j = 0; j < per; j++) {
                    if (!Double.isNaN(s[0])) {
                        v[i * per + j] = (float) s[0];
                        s[0] = Double.NaN;
                        continue;
                    }
                    double u1 = ((r.nextLong() >>> 11) + 1) * 0x1.0p-53;
                    double u2 = (r.nextLong() >>> 11) * 0x1.0p-53;
                    double rad = StrictMath.sqrt(-2 * StrictMath.log(u1));
                    v[i * per + j] = (float) (rad * StrictMath.cos(2 * Math.PI * u2));
                    s[0] = rad * StrictMath.sin(2 * Math.PI * u2);
                }
            }
            // an engine copy: autograd keeps a reference to the draws (mul saves them), so their memory must be the
            // engine's, not the Java buffer behind m.create
            try (NDArray host = m.create(v, shape)) {
                return host.duplicate();
            }
        }

        private static long mix(long seed, long item) {
            long z = seed * 0x9E3779B97F4A7C15L + item * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
