package io.roadneg.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The optimiser as it was before the flat step: one op chain per parameter. Kept as the reference that
 * {@link io.roadneg.finetune.train.Adam} must match (numbers and saved state), so resumed runs stay exact.
 */
final class PerParameterAdam implements AutoCloseable {
    private final List<Parameter> params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final NDArray[] m;
    private final NDArray[] v;
    private long t;

    PerParameterAdam(List<Parameter> params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = NDManager.newBaseManager(this.params.isEmpty() ? null
                : this.params.get(0).getArray().getDevice());
        m = new NDArray[params.size()];
        v = new NDArray[params.size()];
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            m[i] = manager.zeros(w.getShape(), w.getDataType());
            v[i] = manager.zeros(w.getShape(), w.getDataType());
        }
    }

    /** Steps taken. */
    public long steps() {
        return t;
    }

    /** One update with learning rate {@code lr}; gradients are zeroed afterwards. */
    public void step(double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, t));
        // w -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps): the bias corrections folded into scalars, as PyTorch does
        float stepSize = (float) (lr / c1);
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                NDArray g = w.getGradient();
                g.attach(scratch);
                m[i].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v[i].muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                NDArray denom = v[i].sqrt();
                denom.attach(scratch);
                denom.divi((float) sqrtC2).addi((float) eps);
                NDArray update = m[i].div(denom);
                update.attach(scratch);
                if (weightDecay > 0) {
                    NDArray decay = w.mul((float) (lr * weightDecay));
                    decay.attach(scratch);
                    w.subi(decay);
                }
                w.subi(update.muli(stepSize));
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    /** Sets every gradient to zero (after a step that was not taken). */
    public void zeroGradients() {
        for (Parameter p : params) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    /** Writes the step count and moments. */
    public void save(OutputStream out) throws IOException {
        NDList all = new NDList();
        NDArray count = manager.create(new long[] {t});
        all.add(count);
        for (int i = 0; i < params.size(); i++) {
            all.add(m[i]);
            all.add(v[i]);
        }
        all.encode(out);
        count.close();
    }

    /** Restores what {@link #save} wrote; the parameter list must be the same. */
    public void load(InputStream in) throws IOException {
        NDList all = NDList.decode(manager, in);
        if (all.size() != 1 + 2 * params.size()) {
            throw new IOException("optimizer state holds " + (all.size() - 1) / 2 + " parameters, the model "
                    + params.size());
        }
        t = all.get(0).toLongArray()[0];
        for (int i = 0; i < params.size(); i++) {
            NDArray mi = all.get(1 + 2 * i);
            NDArray vi = all.get(2 + 2 * i);
            if (!mi.getShape().equals(m[i].getShape())) {
                throw new IOException("optimizer state of parameter " + params.get(i).getName() + " has shape "
                        + mi.getShape() + ", the model " + m[i].getShape());
            }
            m[i].close();
            v[i].close();
            m[i] = mi;
            v[i] = vi;
        }
        all.get(0).close();
    }

    @Override
    public void close() {
        manager.close();
    }
}
