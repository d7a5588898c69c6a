package io.roadneg.flows;

import io.roadneg.flows.nn.Scalars;
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

    /** The context the coupling networks see: two dense blocks around a stride-2 convolution of x in [-1, 1]. */
    NDArray context(NDArray x) {
        float levels = (float) Math.pow(2, bits);
        return context1.apply(down.apply(context0.apply(x.mul(2 / (levels - 1)).sub(1))));
    }

    /**
     * The conditional flow from base draws to u in (0, 1): {@code u = sigmoid(unsqueeze(conv(... coupling(conv(
     * loc + exp(logScale) eps)))))} and its log-det with respect to eps (N x 4C x H/2 x W/2).
     */
    Bijection.Transformed transform(NDArray eps, NDArray ctx, boolean training) {
        NDArray u = eps.mul(baseLogScale.exp()).add(baseLoc);
        NDArray logDet = Bijection.repeatPerItem(Scalars.times(baseLogScale.sum(), eps.getShape().get(2) * eps.getShape().get(3)),
                eps);
        for (int k = 0; k < couplings.size(); k++) {
            Bijection.Transformed t = convs.get(k).forward(u, training);
            logDet = logDet.add(t.logDet());
            t = couplings.get(k).forward(t.z(), ctx, training);
            logDet = logDet.add(t.logDet());
            u = t.z();
        }
        Bijection.Transformed t = convs.get(couplings.size()).forward(u, training);
        logDet = logDet.add(t.logDet());
        t = sigmoid.forward(Squeeze.unsqueeze(t.z()), training);
        return new Bijection.Transformed(t.z(), logDet.add(t.logDet()));
    }

    /**
     * {@code [y, logDet]} for integer-valued x (as floats): y = (x + u) / 2^bits with u ~ q(u | x), and the log-det
     * {@code -D bits log 2 - log q(u | x)}, {@code log q(u | x) = log N(eps) - log|det du/deps|}.
     */
    Bijection.Transformed forward(NDArray x, boolean training, Noise noise) {
        float levels = (float) Math.pow(2, bits);
        NDArray ctx = context(x);
        long[] s = x.getShape().getShape();
        NDArray eps = noise.normal(x.getManager(), new Shape(s[0], 4 * s[1], s[2] / 2, s[3] / 2));
        Bijection.Transformed t = transform(eps, ctx, training);
        NDArray logQ = Bijection.sumPerItem(eps.square().mul(-0.5f).sub((float) HALF_LOG_2PI)).sub(t.logDet());
        NDArray y = Scalars.over(x.add(t.z()), levels);
        double perImage = (double) (s[1] * s[2] * s[3]) * bits * Math.log(2);
        return new Bijection.Transformed(y, logQ.neg().sub((float) perImage));
    }

    /** The integer image (as floats) that {@code y} dequantises: {@code clamp(floor(y 2^bits), 0, 2^bits - 1)}. */
    NDArray quantize(NDArray y) {
        float levels = (float) Math.pow(2, bits);
        return y.mul(levels).floor().clip(0, levels - 1);
    }
}
