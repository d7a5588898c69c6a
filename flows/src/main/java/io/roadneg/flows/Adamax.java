package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * Adamax (Kingma and Ba 2015, section 7.1), as PyTorch's {@code torch.optim.Adamax} computes it:
 * {@code m = b1 m + (1 - b1) g}, {@code u = max(b2 u, |g| + eps)}, {@code w -= lr / (1 - b1^t) * m / u}. DenseFlow
 * trains with it (lr 1e-3, betas 0.9 / 0.999). Updates run in place, outside gradient recording; gradients are zeroed.
 */
public final class Adamax implements AutoCloseable {
    private final List<NDArray> params;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final NDManager manager = NDManager.newBaseManager();
    private final NDArray[] m;
    private final NDArray[] u;
    private long t;

    /** An optimiser over {@code params} (arrays that require gradients). */
    public Adamax(List<NDArray> params, double beta1, double beta2, double eps) {
        this.params = List.copyOf(params);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        m = new NDArray[this.params.size()];
        u = new NDArray[this.params.size()];
        for (int i = 0; i < m.length; i++) {
            NDArray w = this.params.get(i);
            m[i] = manager.zeros(w.getShape(), w.getDataType());
            u[i] = manager.zeros(w.getShape(), w.getDataType());
        }
    }

    /** Steps taken. */
    public long steps() {
        return t;
    }

    /** One update at learning rate {@code lr}. */
    public void step(double lr) {
        t++;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < m.length; i++) {
                NDArray w = params.get(i);
                NDArray g = w.getGradient();
                g.attach(scratch);
                m[i].muli(beta1).addi(g.mul(1 - beta1));
                NDArray bound = g.abs().addi(eps);
                bound.attach(scratch);
                NDArray decayed = u[i].mul(beta2);
                decayed.attach(scratch);
                NDArray next = decayed.maximum(bound);
                next.attach(manager);
                u[i].close();
                u[i] = next;
                NDArray update = m[i].div(u[i]).muli(stepSize);
                update.attach(scratch);
                w.subi(update);
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
