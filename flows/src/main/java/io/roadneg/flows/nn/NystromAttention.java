package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.roadneg.flows.ParamStore;

/**
 * Nystrom attention as DenseFlow's coupling network computes it (public code, {@code denseflow/nn/blocks/
 * attention.py}): queries, keys and values from one 1x1 convolution, {@code landmarks} segment means as landmarks,
 * the landmark kernel inverted by six Newton-Schulz-type iterations, values added back, a 1x1 convolution out. As
 * there, the N x C x H x W tensor is reshaped to N x HW x C without a permute and each softmax runs over axis -2;
 * kept so that weights trained by that code mean the same here.
 */
public final class NystromAttention {
    private static final int INVERSE_ITERATIONS = 6;

    private final Conv qkv;
    private final Conv out;
    private final int embed;
    private final int landmarks;

    /** {@code name.qkv}, {@code name.out}. */
    public NystromAttention(ParamStore p, String name, int channels, int embed, int landmarks) {
        this.qkv = new Conv(p, name + ".qkv", channels, 3 * embed, 1, 1, true, false);
        this.out = new Conv(p, name + ".out", embed, channels, 1, 1, true, false);
        this.embed = embed;
        this.landmarks = landmarks;
    }

    /** Applies the attention; H * W must be a multiple of the landmark count. */
    public NDArray apply(NDArray x) {
        long[] s = x.getShape().getShape();
        long n = s[0];
        long hw = s[2] * s[3];
        NDList parts = qkv.apply(x).reshape(n, hw, 3L * embed).split(3, 2);
        NDArray q = parts.get(0);
        NDArray k = parts.get(1);
        NDArray v = parts.get(2);
        float norm = (float) (1 / Math.sqrt(hw));
        NDArray ql = Scalars.times(q.reshape(n, landmarks, hw / landmarks, embed).mean(new int[] {2}), norm);
        NDArray kl = Scalars.times(k.reshape(n, landmarks, hw / landmarks, embed).mean(new int[] {2}), norm);
        NDArray klT = kl.transpose(0, 2, 1);
        NDArray k1 = q.matMul(klT).softmax(1);
        NDArray k2 = ql.matMul(klT).softmax(1);
        NDArray k3 = ql.matMul(k.transpose(0, 2, 1)).softmax(1);
        NDArray y = k1.matMul(iterativeInverse(k2)).matMul(k3.matMul(v)).add(v);
        return out.apply(y.reshape(n, embed, s[2], s[3]));
    }

    /** Approximate inverse of each L x L matrix of a batch (the published iteration, started from K^T / norms). */
    static NDArray iterativeInverse(NDArray k) {
        long l = k.getShape().get(2);
        NDArray eye = k.getManager().eye((int) l);
        NDArray a = k.abs();
        NDArray col = a.sum(new int[] {1}, true).max(new int[] {2}, true);
        NDArray row = a.sum(new int[] {2}, true).max(new int[] {1}, true);
        NDArray v = k.transpose(0, 2, 1).div(col.mul(row));
        for (int i = 0; i < INVERSE_ITERATIONS; i++) {
            NDArray kv = k.matMul(v);
            NDArray inner = eye.mul(7).sub(kv);
            inner = eye.mul(15).sub(kv.matMul(inner));
            inner = eye.mul(13).sub(kv.matMul(inner));
            v = Scalars.times(v, 0.25).matMul(inner);
        }
        return v;
    }
}
