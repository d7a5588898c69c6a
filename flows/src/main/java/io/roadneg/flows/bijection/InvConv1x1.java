package io.roadneg.flows.bijection;

import io.roadneg.flows.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.roadneg.flows.ParamStore;
import java.util.SplittableRandom;

/**
 * Invertible 1x1 convolution in LU form (Glow, section 3.2): {@code W = P L (U + diag(sign * exp(logS)))} with P a
 * fixed permutation, L unit lower-triangular, U strictly upper-triangular, so {@code log|det W| = sum(logS)} needs no
 * determinant (DJL has none) and the log-det is {@code H W sum(logS)}. Starts at a random rotation, as Glow's does.
 */
public final class InvConv1x1 implements Bijection {
    private final int c;
    private final NDArray lower;
    private final NDArray upper;
    private final NDArray logS;
    private final NDArray perm;
    private final NDArray sign;
    private final NDArray lowerMask;
    private final NDArray upperMask;
    private final NDArray eye;

    /** {@code name.lower/upper/log_s} (trained), {@code name.perm/sign} (fixed buffers). */
    public InvConv1x1(ParamStore p, String name, int c) {
        this.c = c;
        double[][] lu = Lu.randomRotationLu(c, p.rng(name));
        Shape sq = new Shape(c, c);
        lower = p.add(name + ".lower", ParamStore.Kind.PARAMETER, sq, Lu.flat(lu[0]));
        upper = p.add(name + ".upper", ParamStore.Kind.PARAMETER, sq, Lu.flat(lu[1]));
        logS = p.add(name + ".log_s", ParamStore.Kind.PARAMETER, new Shape(c), Lu.toFloat(lu[2]));
        perm = p.add(name + ".perm", ParamStore.Kind.BUFFER, sq, Lu.flat(lu[3]));
        sign = p.add(name + ".sign", ParamStore.Kind.BUFFER, new Shape(c), Lu.toFloat(lu[4]));
        float[] lm = new float[c * c];
        float[] um = new float[c * c];
        float[] id = new float[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                lm[i * c + j] = j < i ? 1 : 0;
                um[i * c + j] = j > i ? 1 : 0;
                id[i * c + j] = i == j ? 1 : 0;
            }
        }
        lowerMask = p.add(name + ".lower_mask", ParamStore.Kind.CONSTANT, sq, lm);
        upperMask = p.add(name + ".upper_mask", ParamStore.Kind.CONSTANT, sq, um);
        eye = p.add(name + ".eye", ParamStore.Kind.CONSTANT, sq, id);
    }

    /** The C x C weight. */
    public NDArray weight() {
        NDArray l = lower.mul(lowerMask).add(eye);
        NDArray u = upper.mul(upperMask).add(eye.mul(sign.mul(logS.exp()).reshape(1, c)));
        return perm.matMul(l).matMul(u);
    }

    @Override
    public Transformed forward(NDArray x, boolean training) {
        long hw = x.getShape().get(2) * x.getShape().get(3);
        NDArray z = conv(x, weight());
        return new Transformed(z, Bijection.repeatPerItem(Scalars.times(logS.sum(), hw), x));
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        return conv(z, weight().inverse());
    }

    private NDArray conv(NDArray x, NDArray w) {
        return Conv2d.conv2d(x, w.reshape(c, c, 1, 1)).singletonOrThrow();
    }

    /** Host linear algebra for the initial value only. */
    static final class Lu {
        private Lu() {
        }

        /** [L (strict lower part), U (strict upper part), log|s|, P, sign(s)] of a random rotation W = P L U. */
        static double[][] randomRotationLu(int n, SplittableRandom r) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double u1 = ((r.nextLong() >>> 11) + 1) * 0x1.0p-53;
                    double u2 = (r.nextLong() >>> 11) * 0x1.0p-53;
                    a[i][j] = StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
                }
            }
            // Gram-Schmidt on the columns: an orthogonal Q
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < j; k++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) {
                        d += a[i][j] * a[i][k];
                    }
                    for (int i = 0; i < n; i++) {
                        a[i][j] -= d * a[i][k];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += a[i][j] * a[i][j];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    a[i][j] /= norm;
                }
            }
            // LU with partial pivoting: P^T A = L U, so A = P L U
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = i;
            }
            double[][] m = new double[n][];
            for (int i = 0; i < n; i++) {
                m[i] = a[i].clone();
            }
            for (int k = 0; k < n; k++) {
                int piv = k;
                for (int i = k + 1; i < n; i++) {
                    if (Math.abs(m[i][k]) > Math.abs(m[piv][k])) {
                        piv = i;
                    }
                }
                double[] t = m[k];
                m[k] = m[piv];
                m[piv] = t;
                int tr = rows[k];
                rows[k] = rows[piv];
                rows[piv] = tr;
                for (int i = k + 1; i < n; i++) {
                    m[i][k] /= m[k][k];
                    for (int j = k + 1; j < n; j++) {
                        m[i][j] -= m[i][k] * m[k][j];
                    }
                }
            }
            double[][] out = new double[5][];
            double[][] l = new double[n][n];
            double[][] u = new double[n][n];
            double[][] p = new double[n][n];
            double[] logS = new double[n];
            double[] sign = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j < i) {
                        l[i][j] = m[i][j];
                    } else if (j > i) {
                        u[i][j] = m[i][j];
                    }
                }
                logS[i] = Math.log(Math.abs(m[i][i]));
                sign[i] = Math.signum(m[i][i]);
                p[rows[i]][i] = 1;
            }
            out[0] = flatten(l);
            out[1] = flatten(u);
            out[2] = logS;
            out[3] = flatten(p);
            out[4] = sign;
            return out;
        }

        private static double[] flatten(double[][] a) {
            int n = a.length;
            double[] f = new double[n * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(a[i], 0, f, i * n, n);
            }
            return f;
        }

        static float[] flat(double[] a) {
            return toFloat(a);
        }

        static float[] toFloat(double[] a) {
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                f[i] = (float) a[i];
            }
            return f;
        }
    }
}
