package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
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
 * The hyper-parameters stay in double, as Python floats do in PyTorch: the bias correction {@code 1 - b1^t} is
 * computed in double and each scalar is rounded to float once.
 *
 * <p>The moments of all parameters live in two flat tensors: a step concatenates the gradients once and runs the
 * rule as one chain of element-wise ops over all of them, then subtracts each parameter's slice. A flow has hundreds
 * of small parameter arrays, so this replaces about a dozen engine calls per parameter by three. The element-wise
 * ops are the per-parameter rule's, so the numbers and the saved state (per-parameter moments) are unchanged.
 */
public final class Adamax implements AutoCloseable {
    private final List<NDArray> params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager manager;
    /** Where each parameter starts in the flat tensors (every offset but the first). */
    private final long[] splits;
    private NDArray m;
    private NDArray u;
    private long t;

    /** An optimiser over {@code params} (float32 arrays on one device that require gradients). */
    public Adamax(List<NDArray> params, double beta1, double beta2, double eps) {
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.manager = NDManager.newBaseManager(this.params.isEmpty() ? null : this.params.get(0).getDevice());
        splits = new long[Math.max(0, this.params.size() - 1)];
        long n = 0;
        for (int i = 0; i < this.params.size(); i++) {
            NDArray w = this.params.get(i);
            if (w.getDataType() != DataType.FLOAT32 || !w.getDevice().equals(this.params.get(0).getDevice())) {
                throw new IllegalArgumentException("parameter " + i + " is " + w.getDataType() + " on "
                        + w.getDevice() + ": one optimiser needs float32 parameters on one device");
            }
            if (i > 0) {
                splits[i - 1] = n;
            }
            n += w.size();
        }
        m = manager.zeros(new Shape(n), DataType.FLOAT32);
        u = manager.zeros(new Shape(n), DataType.FLOAT32);
    }

    /** Steps taken. */
    public long steps() {
        return t;
    }

    /** One update at learning rate {@code lr}. */
    public void step(double lr) {
        t++;
        if (params.isEmpty()) {
            return;
        }
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        try (NDManager scratch = manager.newSubManager()) {
            NDList grads = new NDList(params.size());
            for (NDArray w : params) {
                NDArray g = w.getGradient();
                g.attach(scratch);
                grads.add(g.reshape(-1));
            }
            NDArray g = grads.size() == 1 ? grads.get(0) : NDArrays.concat(grads);
            // the scalars as PyTorch passes them: hyper-parameters in double, rounded to float once
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            NDArray bound = g.abs().addi((float) eps);
            bound.attach(scratch);
            NDArray decayed = u.mul((float) beta2);
            decayed.attach(scratch);
            NDArray next = decayed.maximum(bound);
            next.attach(manager);
            u.close();
            u = next;
            NDArray update = m.div(u).muli(stepSize);
            update.attach(scratch);
            NDList parts = split(update);
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i);
                w.subi(parts.get(i).reshape(w.getShape()));
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    /** One new view per parameter of a flat tensor, in that tensor's manager. */
    private NDList split(NDArray flat) {
        return splits.length == 0 ? new NDList(flat.reshape(-1)) : flat.split(splits);
    }

    /**
     * Writes the moments and the step count as an {@code .npz} ({@code m.I}, {@code u.I} per parameter in order,
     * {@code t}), temp file then rename.
     */
    public void save(Path file) throws IOException {
        NDList all = new NDList();
        try (NDManager scratch = manager.newSubManager()) {
            NDList ms = split(m);
            NDList us = split(u);
            ms.attach(scratch);
            us.attach(scratch);
            for (int i = 0; i < params.size(); i++) {
                NDArray a = ms.get(i).reshape(params.get(i).getShape());
                a.attach(scratch);
                a.setName("m." + i);
                NDArray b = us.get(i).reshape(params.get(i).getShape());
                b.attach(scratch);
                b.setName("u." + i);
                all.add(a);
                all.add(b);
            }
            NDArray steps = scratch.create(new long[] {t});
            steps.setName("t");
            all.add(steps);
            AtomicFiles.write(file, out -> Npz.write(all, out));
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
            if (steps == null || named.size() != 2 * params.size() + 1) {
                throw new IllegalArgumentException(file + ": holds " + (named.size() - 1) / 2 + " parameters' moments"
                        + (steps == null ? " and no step count" : "") + ", this flow has " + params.size());
            }
            NDList ms = new NDList(params.size());
            NDList us = new NDList(params.size());
            for (int i = 0; i < params.size(); i++) {
                ms.add(checked(named.get("m." + i), params.get(i), file, "m." + i));
                us.add(checked(named.get("u." + i), params.get(i), file, "u." + i));
            }
            NDArray fm = flatOf(ms);
            NDArray fu = flatOf(us);
            fm.attach(manager);
            fu.attach(manager);
            m.close();
            u.close();
            m = fm;
            u = fu;
            t = steps.toLongArray()[0];
        }
    }

    private static NDArray flatOf(NDList parts) {
        NDList flat = new NDList(parts.size());
        for (NDArray p : parts) {
            flat.add(p.reshape(-1));
        }
        return flat.size() == 1 ? flat.get(0).duplicate() : NDArrays.concat(flat);
    }

    private static NDArray checked(NDArray src, NDArray param, Path file, String name) {
        if (src == null || !src.getShape().equals(param.getShape())) {
            throw new IllegalArgumentException(file + ": array " + name + (src == null ? " missing" : " has shape "
                    + src.getShape() + ", needs " + param.getShape()));
        }
        return src.toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
