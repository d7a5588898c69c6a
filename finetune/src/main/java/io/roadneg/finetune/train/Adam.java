package io.roadneg.finetune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Adam (with decoupled weight decay when asked, as AdamW) whose moments can be saved and restored, so a resumed run
 * continues exactly. Updates run outside gradient recording, in place.
 *
 * <p>The moments of all parameters live in two flat tensors, and a step concatenates the gradients once and runs one
 * op chain over all of them: a few large kernels instead of a dozen small ones per parameter, which is what the step
 * costs on a GPU (launches, not arithmetic). Element by element the ops are those of the per-parameter rule, so the
 * numbers and the saved state (per-parameter moments, as before) are unchanged.
 */
public final class Adam implements AutoCloseable {
    private final List<Parameter> params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    /** Where each parameter starts in the flat tensors (split points: every offset but the first). */
    private final long[] splits;
    private final long total;
    private NDArray m;
    private NDArray v;
    private long t;

    /** An optimiser over {@code params} (all of one data type and on one device). */
    public Adam(List<Parameter> params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        NDArray first = this.params.isEmpty() ? null : this.params.get(0).getArray();
        this.manager = NDManager.newBaseManager(first == null ? null : first.getDevice());
        splits = new long[Math.max(0, this.params.size() - 1)];
        long n = 0;
        for (int i = 0; i < this.params.size(); i++) {
            NDArray w = this.params.get(i).getArray();
            if (w.getDataType() != first.getDataType() || !w.getDevice().equals(first.getDevice())) {
                throw new IllegalArgumentException("parameter " + this.params.get(i).getName() + " is "
                        + w.getDataType() + " on " + w.getDevice() + ", the first " + first.getDataType() + " on "
                        + first.getDevice() + ": one optimiser needs one data type and device");
            }
            if (i > 0) {
                splits[i - 1] = n;
            }
            n += w.size();
        }
        total = n;
        m = manager.zeros(new Shape(total), first == null ? DataType.FLOAT32 : first.getDataType());
        v = manager.zeros(new Shape(total), first == null ? DataType.FLOAT32 : first.getDataType());
    }

    /** Steps taken. */
    public long steps() {
        return t;
    }

    /** One update with learning rate {@code lr}; gradients are zeroed afterwards. */
    public void step(double lr) {
        t++;
        if (params.isEmpty()) {
            return;
        }
        double c1 = 1 - Math.pow(beta1, t);
        double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, t));
        // w -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps): the bias corrections folded into scalars, as PyTorch does
        float stepSize = (float) (lr / c1);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray g = flat(scratch, true);
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            NDArray denom = v.sqrt();
            denom.attach(scratch);
            denom.divi((float) sqrtC2).addi((float) eps);
            NDArray update = m.div(denom);
            update.attach(scratch);
            update.muli(stepSize);
            NDList decays = null;
            if (weightDecay > 0) {
                NDArray decay = flat(scratch, false).muli((float) (lr * weightDecay));
                decays = split(decay);
            }
            NDList updates = split(update);
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                // decay then update, two subtractions as before (one fused subtraction would round differently)
                if (decays != null) {
                    w.subi(decays.get(i).reshape(w.getShape()));
                }
                w.subi(updates.get(i).reshape(w.getShape()));
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    /** The gradients (or the weights) of all parameters as one flat tensor in {@code scratch}. */
    private NDArray flat(NDManager scratch, boolean gradients) {
        NDList parts = new NDList(params.size());
        for (Parameter p : params) {
            NDArray a = gradients ? p.getArray().getGradient() : p.getArray().duplicate();
            a.attach(scratch);
            parts.add(a.reshape(-1));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts);
    }

    /** One new view per parameter of a flat tensor (in that tensor's manager; never the tensor itself). */
    private NDList split(NDArray flat) {
        return splits.length == 0 ? new NDList(flat.reshape(-1)) : flat.split(splits);
    }

    /** Sets every gradient to zero (after a step that was not taken). */
    public void zeroGradients() {
        for (Parameter p : params) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    /** Writes the step count and the moments of each parameter, in its shape. */
    public void save(OutputStream out) throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            NDList all = new NDList();
            all.add(scratch.create(new long[] {t}));
            NDList ms = split(m);
            NDList vs = split(v);
            for (int i = 0; i < params.size(); i++) {
                Shape shape = params.get(i).getArray().getShape();
                NDArray mi = ms.get(i).reshape(shape);
                NDArray vi = vs.get(i).reshape(shape);
                mi.attach(scratch);
                vi.attach(scratch);
                all.add(mi);
                all.add(vi);
            }
            ms.attach(scratch);
            vs.attach(scratch);
            all.encode(out);
        }
    }

    /** Restores what {@link #save} wrote; the parameter list must be the same. */
    public void load(InputStream in) throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            NDList all = NDList.decode(scratch, in);
            if (all.size() != 1 + 2 * params.size()) {
                throw new IOException("optimizer state holds " + (all.size() - 1) / 2 + " parameters, the model "
                        + params.size());
            }
            NDList ms = new NDList(params.size());
            NDList vs = new NDList(params.size());
            for (int i = 0; i < params.size(); i++) {
                NDArray mi = all.get(1 + 2 * i);
                NDArray vi = all.get(2 + 2 * i);
                Shape shape = params.get(i).getArray().getShape();
                if (!mi.getShape().equals(shape) || !vi.getShape().equals(shape)) {
                    throw new IOException("optimizer state of parameter " + params.get(i).getName() + " has shape "
                            + mi.getShape() + ", the model " + shape);
                }
                ms.add(mi.reshape(-1));
                vs.add(vi.reshape(-1));
            }
            long steps = all.get(0).toLongArray()[0];
            if (!params.isEmpty()) {
                NDArray newM = (ms.size() == 1 ? ms.get(0) : NDArrays.concat(ms)).toType(m.getDataType(), true);
                NDArray newV = (vs.size() == 1 ? vs.get(0) : NDArrays.concat(vs)).toType(v.getDataType(), true);
                newM.attach(manager);
                newV.attach(manager);
                m.close();
                v.close();
                m = newM;
                v = newV;
            }
            t = steps;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
