package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.roadneg.flows.bijection.AffineCoupling;
import io.roadneg.flows.bijection.Bijection;
import io.roadneg.flows.bijection.InvConv1x1;
import io.roadneg.flows.bijection.Sigmoid;
import io.roadneg.flows.bijection.Squeeze;
import io.roadneg.flows.nn.Conv;
import io.roadneg.flows.nn.DenseBlock;
import io.roadneg.flows.nn.ResidualDenseNet;
import java.util.ArrayList;
import java.util.List;

/**
 * Variational dequantisation (Flow++; DenseFlow's {@code DequantizationFlow}): u in (0, 1) from a conditional flow on
 * the image (a context network of two dense blocks around a stride-2 convolution; a per-channel Gaussian at half
 * resolution with 4C channels; steps of [1x1 convolution, conditional affine coupling]; a last 1x1 convolution,
 * unsqueeze and sigmoid), {@code y = (x + u) / 2^bits}, and the log-det {@code -D bits log 2 - log q(u | x)}.
 */
final class Dequantizer {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int bits;
    private final DenseBlock context0;
    private final Conv down;
    private final DenseBlock context1;
    private final NDArray baseLoc;
    private final NDArray baseLogScale;
    private final List<InvConv1x1> convs = new ArrayList<>();
    private final List<AffineCoupling> couplings = new ArrayList<>();
    private final Sigmoid sigmoid = new Sigmoid();

    Dequantizer(ParamStore p, String name, int c, int bits, DenseFlowConfig.Dequantization d) {
        this.bits = bits;
        context0 = new DenseBlock(p, name + ".ctx_dense0", c, d.midChannels(), d.contextDepth(), d.contextGrowth());
        down = new Conv(p, name + ".ctx_down", d.midChannels(), d.midChannels(), 2, 2, true, false);
        context1 = new DenseBlock(p, name + ".ctx_dense1", d.midChannels(), d.contextChannels(), d.contextDepth(),
                d.contextGrowth());
        baseLoc = p.constantParameter(name + ".base_loc", new Shape(1, 4 * c, 1, 1), 0);
        baseLogScale = p.constantParameter(name + ".base_log_scale", new Shape(1, 4 * c, 1, 1), 0);
        for (int k = 0; k <= d.steps(); k++) {
            convs.add(new InvConv1x1(p, name + ".convs." + k, 4 * c));
        }
        for (int k = 0; k < d.steps(); k++) {
            couplings.add(new AffineCoupling(new ResidualDenseNet(p, name + ".couplings." + k + ".net",
                    2 * c + d.contextChannels(), 4 * c, d.midChannels(), d.depth(), d.growth())));
        }
    }

    List<InvConv1x1> convs() {
        return convs;
    }

    /** {@code [y, logDet]} for integer-valued x (as floats). */
    Bijection.Transformed forward(NDArray x, boolean training, Noise noise) {
        float levels = (float) Math.pow(2, bits);
        NDArray ctx = context1.apply(down.apply(context0.apply(x.mul(2 / (levels - 1)).sub(1))));
        long[] s = x.getShape().getShape();
        NDArray eps = noise.normal(x.getManager(), new Shape(s[0], 4 * s[1], s[2] / 2, s[3] / 2));
        NDArray u = eps.mul(baseLogScale.exp()).add(baseLoc);
        NDArray logQ = Bijection.sumPerItem(eps.square().mul(-0.5f).sub((float) HALF_LOG_2PI).sub(baseLogScale));
        for (int k = 0; k < couplings.size(); k++) {
            Bijection.Transformed t = convs.get(k).forward(u, training);
            logQ = logQ.sub(t.logDet());
            t = couplings.get(k).forward(t.z(), ctx, training);
            logQ = logQ.sub(t.logDet());
            u = t.z();
        }
        Bijection.Transformed t = convs.get(couplings.size()).forward(u, training);
        logQ = logQ.sub(t.logDet());
        t = sigmoid.forward(Squeeze.unsqueeze(t.z()), training);
        logQ = logQ.sub(t.logDet());
        NDArray y = x.add(t.z()).div(levels);
        double perImage = (double) (s[1] * s[2] * s[3]) * bits * Math.log(2);
        return new Bijection.Transformed(y, logQ.neg().sub((float) perImage));
    }

    /** The integer image (as floats) that {@code y} dequantises: {@code clamp(floor(y 2^bits), 0, 2^bits - 1)}. */
    NDArray quantize(NDArray y) {
        float levels = (float) Math.pow(2, bits);
        return y.mul(levels).floor().clip(0, levels - 1);
    }
}
