package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.roadneg.datasets.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
    private final NDManager manager;
    private final NDArray[] m;
    private final NDArray[] u;
    private long t;

    /** An optimiser over {@code params} (arrays that require gradients). */
    public Adamax(List<NDArray> params, double beta1, double beta2, double eps) {
        this.params = List.copyOf(params);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.manager = NDManager.newBaseManager(this.params.isEmpty() ? null : this.params.get(0).getDevice());
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

    /**
     * Writes the moments and the step count as an {@code .npz} ({@code m.I}, {@code u.I} per parameter in order,
     * {@code t}), temp file then rename.
     */
    public void save(Path file) throws IOException {
        NDList all = new NDList();
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < m.length; i++) {
                NDArray a = m[i].duplicate();
                a.attach(scratch);
                a.setName("m." + i);
                NDArray b = u[i].duplicate();
                b.attach(scratch);
                b.setName("u." + i);
                all.add(a);
                all.add(b);
            }
            NDArray steps = scratch.create(new long[] {t});
            steps.setName("t");
            all.add(steps);
            AtomicFiles.write(file, out -> all.encode(out, NDList.Encoding.NPZ));
        }
    }

    /**
     * Reads what {@link #save} wrote; the parameter count and every shape must match, else an
     * {@link IllegalArgumentException} naming the first difference.
     */
    public void load(Path file) throws IOException {
        try (NDManager scratch = manager.newSubManager(); InputStream in = Files.newInputStream(file)) {
            Map<String, NDArray> named = ParamStore.readNpz(scratch, in);
            NDArray steps = named.get("t");
            if (steps == null || named.size() != 2 * m.length + 1) {
                throw new IllegalArgumentException(file + ": holds " + (named.size() - 1) / 2 + " parameters' moments"
                        + (steps == null ? " and no step count" : "") + ", this flow has " + m.length);
            }
            for (int i = 0; i < m.length; i++) {
                copy(named.get("m." + i), m[i], file, "m." + i);
                copy(named.get("u." + i), u[i], file, "u." + i);
            }
            t = steps.toLongArray()[0];
        }
    }

    private static void copy(NDArray src, NDArray dst, Path file, String name) {
        if (src == null || !src.getShape().equals(dst.getShape())) {
            throw new IllegalArgumentException(file + ": array " + name + (src == null ? " missing" : " has shape "
                    + src.getShape() + ", needs " + dst.getShape()));
        }
        ParamStore.assign(dst, src.toType(DataType.FLOAT32, false).toFloatArray());
    }

    @Override
    public void close() {
        manager.close();
    }
}
