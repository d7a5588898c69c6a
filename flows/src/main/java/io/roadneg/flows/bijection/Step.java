package io.roadneg.flows.bijection;

import ai.djl.ndarray.NDArray;
import io.roadneg.flows.DenseFlowConfig;
import io.roadneg.flows.ParamStore;
import io.roadneg.flows.nn.AttentionDenseNet;
import java.util.List;

/** One step of a DenseFlow unit: ActNorm, invertible 1x1 convolution, affine coupling, channel switch. */
public final class Step implements Bijection {
    private final ActNorm actNorm;
    private final List<Bijection> parts;

    /** {@code name.actnorm}, {@code name.conv}, {@code name.coupling.net} for C channels. */
    public Step(ParamStore p, String name, int c, int mid, DenseFlowConfig.Coupling cp) {
        actNorm = new ActNorm(p, name + ".actnorm", c);
        parts = List.of(actNorm, new InvConv1x1(p, name + ".conv", c),
                new AffineCoupling(new AttentionDenseNet(p, name + ".coupling.net", (c + 1) / 2, 2 * (c / 2), mid,
                        cp.depth(), cp.growth(), cp.landmarks())),
                new ChannelSwitch());
    }

    /** The step's ActNorm (for data-dependent initialisation). */
    public ActNorm actNorm() {
        return actNorm;
    }

    @Override
    public Transformed forward(NDArray x, boolean training) {
        return Chain.forward(parts, x, training);
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        return Chain.inverse(parts, z, training);
    }
}
