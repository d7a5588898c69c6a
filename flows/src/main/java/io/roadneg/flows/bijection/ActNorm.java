package io.roadneg.flows.bijection;

import io.roadneg.flows.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.roadneg.flows.ParamStore;

/**
 * Activation normalisation (Glow): {@code z = (x - shift) * exp(-logScale)} per channel, log-det
 * {@code -H W sum(logScale)}. Initialised from data: {@link #initialize} sets shift and log-scale to the mean and
 * log standard deviation (unbiased, plus 1e-6) of a batch, once; the {@code initialized} buffer records that it was.
 */
public final class ActNorm implements Bijection {
    private final NDArray shift;
    private final NDArray logScale;
    private final NDArray initialized;
    private boolean armed;

    /** {@code name.shift}, {@code name.log_scale}, {@code name.initialized}. */
    public ActNorm(ParamStore p, String name, int c) {
        Shape s = new Shape(1, c, 1, 1);
        shift = p.constantParameter(name + ".shift", s, 0);
        logScale = p.constantParameter(name + ".log_scale", s, 0);
        initialized = p.add(name + ".initialized", ParamStore.Kind.BUFFER, new Shape(1), new float[1]);
    }

    /** Whether {@link #initialize} has run (or a checkpoint set it). */
    public boolean isInitialized() {
        return initialized.getFloat(0) != 0;
    }

    /**
     * Sets the parameters from the statistics of {@code x} if not yet initialised. Must run outside gradient
     * recording (it writes the parameters in place).
     */
    public void initialize(NDArray x) {
        if (isInitialized()) {
            return;
        }
        long c = x.getShape().get(1);
        NDArray flat = x.stopGradient().transpose(1, 0, 2, 3).reshape(c, -1);
        long count = flat.getShape().get(1);
        NDArray mean = flat.mean(new int[] {1}, true);
        NDArray std = flat.sub(mean).square().sum(new int[] {1}).div(count - 1).sqrt();
        ParamStore.assign(shift, mean.toFloatArray());
        ParamStore.assign(logScale, std.add(1e-6f).log().toFloatArray());
        ParamStore.assign(initialized, new float[] {1});
    }

    /** While armed, the next forward pass initialises from its input first (if not yet initialised). */
    public void armInitialization(boolean on) {
        armed = on;
    }

    @Override
    public Transformed forward(NDArray x, boolean training) {
        if (armed) {
            initialize(x);
            armed = false;
        }
        long hw = x.getShape().get(2) * x.getShape().get(3);
        NDArray z = x.sub(shift).mul(logScale.neg().exp());
        return new Transformed(z, Bijection.repeatPerItem(Scalars.times(logScale.sum(), -hw), x));
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        return z.mul(logScale.exp()).add(shift);
    }
}
