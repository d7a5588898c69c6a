package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.roadneg.flows.bijection.ActNorm;
import io.roadneg.flows.bijection.AffineCoupling;
import io.roadneg.flows.bijection.Bijection;
import io.roadneg.flows.bijection.ChannelSwitch;
import io.roadneg.flows.bijection.InvConv1x1;
import io.roadneg.flows.bijection.Sigmoid;
import io.roadneg.flows.bijection.Squeeze;
import io.roadneg.flows.bijection.Step;
import io.roadneg.flows.nn.ResidualDenseNet;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every bijection: x -> z -> x within 1e-4, and its log-determinant equal to log|det J| of the Jacobian built by
 * autograd one row at a time (determinant by LU in double), on a tiny input with random (non-identity) weights.
 */
class BijectionTest {
    private static final DenseFlowConfig.Coupling COUPLING = new DenseFlowConfig.Coupling(2, 4, 4);

    /** Adds N(0, scale^2) to every trainable parameter, so zero-initialised layers are not the identity. */
    static void perturb(ParamStore p, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        for (NDArray a : p.parameters()) {
            float[] v = a.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (scale * (2 * r.nextDouble() - 1));
            }
            ParamStore.assign(a, v);
        }
    }

    static NDArray input(NDManager m, long seed, Shape shape) {
        return Noise.seeded(seed, 0).normal(m, shape);
    }

    /** log|det| of the Jacobian of {@code f} at {@code x} (batch of 1), from autograd rows. */
    static double bruteForceLogDet(UnaryOperator<NDArray> f, NDArray x) {
        int n = Math.toIntExact(x.size());
        double[][] j = new double[n][];
        for (int i = 0; i < n; i++) {
            NDArray xi = x.duplicate();
            xi.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray z = f.apply(xi).reshape(-1);
                assertEquals(n, z.size(), "bijection keeps the dimension");
                gc.backward(z.get(i));
            }
            float[] row = xi.getGradient().toFloatArray();
            j[i] = new double[n];
            for (int k = 0; k < n; k++) {
                j[i][k] = row[k];
            }
        }
        return logAbsDet(j);
    }

    static double logAbsDet(double[][] a) {
        int n = a.length;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            int piv = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[piv][k])) {
                    piv = i;
                }
            }
            double[] t = a[k];
            a[k] = a[piv];
            a[piv] = t;
            sum += Math.log(Math.abs(a[k][k]));
            for (int i = k + 1; i < n; i++) {
                double f = a[i][k] / a[k][k];
                for (int c = k + 1; c < n; c++) {
                    a[i][c] -= f * a[k][c];
                }
            }
        }
        return sum;
    }

    /** Invertibility and log-det of {@code b} at a random input of {@code shape} (batch of 1). */
    static void check(Bijection b, ParamStore p, NDManager m, Shape shape) {
        if (p != null) {
            perturb(p, 11, 0.3);
            p.bind(m);
        }
        NDArray x = input(m, 3, shape);
        Bijection.Transformed t = b.forward(x, false);
        NDArray back = b.inverse(t.z(), false);
        double err = back.sub(x).abs().max().getFloat();
        assertTrue(err < 1e-4, b.getClass().getSimpleName() + " round trip error " + err);
        double brute = bruteForceLogDet(v -> b.forward(v, false).z(), x);
        double claimed = t.logDet().getFloat(0);
        assertEquals(brute, claimed, 1e-4 * Math.max(1, Math.abs(brute)),
                b.getClass().getSimpleName() + " log-det");
    }

    @Test
    void actNorm() {
        try (ParamStore p = new ParamStore(1); NDManager m = NDManager.newBaseManager()) {
            check(new ActNorm(p, "a", 3), p, m, new Shape(1, 3, 2, 2));
        }
    }

    @Test
    void invertibleConvolutionInLuForm() {
        try (ParamStore p = new ParamStore(2); NDManager m = NDManager.newBaseManager()) {
            check(new InvConv1x1(p, "c", 4), p, m, new Shape(1, 4, 2, 3));
        }
    }

    @Test
    void affineCouplingWithAttentionDenseNetwork() {
        try (ParamStore p = new ParamStore(3); NDManager m = NDManager.newBaseManager()) {
            check(new AffineCoupling(new io.roadneg.flows.nn.AttentionDenseNet(p, "n", 3, 4, 6, 2, 3, 4)), p, m,
                    new Shape(1, 5, 2, 2));
        }
    }

    @Test
    void conditionalAffineCoupling() {
        try (ParamStore p = new ParamStore(4); NDManager m = NDManager.newBaseManager()) {
            AffineCoupling c = new AffineCoupling(new ResidualDenseNet(p, "n", 2 + 3, 4, 6, 2, 3));
            perturb(p, 5, 0.3);
            p.bind(m);
            NDArray ctx = input(m, 9, new Shape(1, 3, 2, 2));
            Bijection conditioned = new Bijection() {
                @Override
                public Transformed forward(NDArray x, boolean training) {
                    return c.forward(x, ctx, training);
                }

                @Override
                public NDArray inverse(NDArray z, boolean training) {
                    return c.inverse(z, ctx, training);
                }
            };
            check(conditioned, null, m, new Shape(1, 4, 2, 2));
        }
    }

    @Test
    void channelSwitchOddAndEven() {
        try (NDManager m = NDManager.newBaseManager()) {
            check(new ChannelSwitch(), null, m, new Shape(1, 5, 2, 2));
            check(new ChannelSwitch(), null, m, new Shape(1, 4, 2, 2));
        }
    }

    @Test
    void squeezeAndSigmoid() {
        try (NDManager m = NDManager.newBaseManager()) {
            check(new Squeeze(), null, m, new Shape(1, 2, 4, 2));
            check(new Sigmoid(), null, m, new Shape(1, 2, 3, 3));
        }
    }

    @Test
    void squeezeLayoutIsRealNvps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(16f).reshape(1, 1, 4, 4);
            NDArray z = Squeeze.squeeze(x);
            // channel 2i + j holds pixel (i, j) of each 2x2 cell
            assertEquals(new Shape(1, 4, 2, 2), z.getShape());
            float[] v = z.toFloatArray();
            assertEquals(0f, v[0]);
            assertEquals(2f, v[1]);
            assertEquals(1f, v[4]);
            assertEquals(4f, v[8]);
            assertEquals(5f, v[12]);
        }
    }

    @Test
    void wholeStep() {
        try (ParamStore p = new ParamStore(6); NDManager m = NDManager.newBaseManager()) {
            check(new Step(p, "s", 4, 6, COUPLING), p, m, new Shape(1, 4, 2, 2));
        }
    }

    @Test
    void aChainsInverseKeepsOnlyItsInputAndResult() {
        try (ParamStore p = new ParamStore(8); NDManager m = NDManager.newBaseManager()) {
            io.roadneg.flows.bijection.Chain chain = new io.roadneg.flows.bijection.Chain(java.util.List.of(
                    new Step(p, "a", 4, 6, COUPLING), new Step(p, "b", 4, 6, COUPLING),
                    new Step(p, "c", 4, 6, COUPLING)));
            perturb(p, 9, 0.2);
            p.bind(m);
            try (NDManager s = m.newSubManager()) {
                NDArray z = input(s, 5, new Shape(1, 4, 4, 4));
                NDArray x = chain.inverse(z, false);
                // every part's intermediates (the couplings' networks, the parts' outputs) are freed as it goes
                assertEquals(2, s.getManagedArrays().size(), "z and x only: " + s.getManagedArrays().size());
                assertTrue(x.getManager() == s && z.getManager() == s);
                NDArray back = chain.forward(x, false).z();
                assertTrue(back.sub(z).abs().max().getFloat() < 1e-4, "the inverse is still the inverse");
            }
        }
    }

    @Test
    void dequantizationFlowLogDetIsItsJacobian() {
        DenseFlowConfig.Dequantization d = new DenseFlowConfig.Dequantization(2, 3, 6, 2, 3, 2, 3);
        try (ParamStore p = new ParamStore(7); NDManager m = NDManager.newBaseManager()) {
            Dequantizer q = new Dequantizer(p, "dq", 1, 8, d);
            perturb(p, 8, 0.2);
            p.bind(m);
            NDArray x = m.create(new float[] {0, 17, 255, 128, 3, 90, 200, 64, 1, 2, 3, 4, 250, 251, 7, 77},
                    new Shape(1, 1, 4, 4));
            NDArray ctx = q.context(x);
            NDArray eps = input(m, 4, new Shape(1, 4, 2, 2));
            double brute = bruteForceLogDet(e -> q.transform(e, ctx, false).z(), eps);
            Bijection.Transformed t = q.transform(eps, ctx, false);
            assertEquals(brute, t.logDet().getFloat(0), 1e-4 * Math.max(1, Math.abs(brute)));
            float[] u = t.z().toFloatArray();
            for (float v : u) {
                assertTrue(v > 0 && v < 1, "u in (0, 1)");
            }
            // y = (x + u) / 256 dequantises x: quantising gives x back
            Bijection.Transformed y = q.forward(x, false, Noise.seeded(1, 0));
            assertEquals(0, q.quantize(y.z()).sub(x).abs().max().getFloat());
        }
    }
}
