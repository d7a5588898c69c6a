package io.roadneg.flows;

import ai.djl.Device;
import io.roadneg.flows.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.roadneg.datasets.InputException;
import io.roadneg.flows.bijection.ActNorm;
import io.roadneg.flows.bijection.Bijection;
import io.roadneg.flows.bijection.Squeeze;
import io.roadneg.flows.bijection.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * DenseFlow (Grcic, Grubisic, Segvic, "Densely connected normalizing flows", NeurIPS 2021; public code
 * github.com/matejgrcic/DenseFlow, {@code experiments/image/model/}): variational dequantisation, shift to
 * [-0.5, 0.5], an initial squeeze, then per scale a {@link DenseBlockFlow} (units of ActNorm, LU 1x1 convolution,
 * attention-dense affine coupling, channel switch, with cross-unit coupling) and, between scales, a transition
 * (squeeze, half the channels factored out under N(0, 1), as the public code's {@code InvertibleTransition}); a
 * per-channel Gaussian with learned mean and log-scale on what remains.
 *
 * <p>Images enter as integers 0 .. 2^bits - 1 (float arrays, N x C x H x W). {@link #encode}/{@link #decode} are the
 * exact bijection between the dequantised image y in [0, 1] and the latents; {@link #logProb} is the variational
 * lower bound of log p(x) in nats; sampling draws the latents (scaled by a temperature) and decodes them,
 * differentiably. The parameters live in {@link #params()}; calls attach them to the input's manager for the
 * duration of that manager (see {@link ParamStore#bind}).
 */
public final class DenseFlow implements AutoCloseable {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final DenseFlowConfig config;
    private final ParamStore params;
    private final Dequantizer dequantizer;
    private final List<DenseBlockFlow> blocks = new ArrayList<>();
    private final NDArray priorLoc;
    private final NDArray priorLogScale;

    /** A freshly initialised flow; the initial values are a function of {@code seed}. */
    public DenseFlow(DenseFlowConfig config, long seed) {
        this(config, seed, null);
    }

    /** The same, its parameters on {@code device} (null: the engine's default device). */
    public DenseFlow(DenseFlowConfig config, long seed, Device device) {
        this.config = config;
        this.params = new ParamStore(seed, device);
        dequantizer = new Dequantizer(params, "dequant", config.channels(), config.numBits(), config.dequantization());
        for (int b = 0; b < config.numBlocks(); b++) {
            blocks.add(new DenseBlockFlow(params, "blocks." + b, config.blockInputChannels(b), config.blocks().get(b),
                    config.layers().get(b), config.midChannels().get(b), config.growthRate(), config.coupling(),
                    config.noiseNetExpansion()));
        }
        int c = config.blockOutputChannels(config.numBlocks() - 1);
        priorLoc = params.constantParameter("prior_loc", new Shape(1, c, 1, 1), 0);
        priorLogScale = params.constantParameter("prior_log_scale", new Shape(1, c, 1, 1), 0);
    }

    /** The architecture. */
    public DenseFlowConfig config() {
        return config;
    }

    /** Parameters, buffers and constants. */
    public ParamStore params() {
        return params;
    }

    /** The latents of a dequantised image: the final z, the factored parts (fine to coarse), and the log-det. */
    public record Encoding(NDArray z, List<NDArray> factored, NDArray logDet) {
    }

    /**
     * Checks that an H x W image passes the squeezes (H and W divisible by 2^blocks) and that every scale's pixel
     * count is a multiple of the attention's landmark count; a one-line {@link InputException} otherwise.
     */
    public void checkSize(long height, long width, String field) {
        checkSize(config, height, width, field);
    }

    /** {@link #checkSize(long, long, String)} for a flow of configuration {@code config}. */
    public static void checkSize(DenseFlowConfig config, long height, long width, String field) {
        int nb = config.numBlocks();
        long unit = 1L << nb;
        if (height <= 0 || width <= 0 || height % unit != 0 || width % unit != 0) {
            throw new InputException(null, field, height + "x" + width, "this flow's " + nb + " squeezes need height "
                    + "and width positive multiples of " + unit);
        }
        for (int b = 0; b < nb; b++) {
            long hw = (height >> (b + 1)) * (width >> (b + 1));
            if (hw % config.coupling().landmarks() != 0) {
                throw new InputException(null, field, height + "x" + width, "scale " + (b + 1) + " has "
                        + (height >> (b + 1)) + "x" + (width >> (b + 1)) + " pixels, not a multiple of the attention's "
                        + config.coupling().landmarks() + " landmarks");
            }
        }
    }

    /** y in [0, 1] (N x C x H x W) to latents. */
    public Encoding encode(NDArray y, boolean training, Noise noise) {
        params.bind(y.getManager());
        NDArray x = Squeeze.squeeze(y.sub(0.5f));
        NDArray total = null;
        List<NDArray> factored = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            Bijection.Transformed t = blocks.get(b).forward(x, training, noise);
            total = total == null ? t.logDet() : total.add(t.logDet());
            x = t.z();
            if (b < blocks.size() - 1) {
                NDList halves = Squeeze.squeeze(x).split(2, 1);
                NDArray out = halves.get(1);
                total = total.add(Bijection.sumPerItem(Scalars.times(out.square(), -0.5).sub((float) HALF_LOG_2PI)));
                factored.add(out);
                x = halves.get(0);
            }
        }
        return new Encoding(x, factored, total);
    }

    /** Latents back to y; {@code factored} as {@link #encode} returned them. */
    public NDArray decode(NDArray z, List<NDArray> factored, boolean training) {
        params.bind(z.getManager());
        NDArray x = z;
        for (int b = blocks.size() - 1; b >= 0; b--) {
            if (b < blocks.size() - 1) {
                x = Squeeze.unsqueeze(NDArrays.concat(new NDList(x, factored.get(b)), 1));
            }
            x = blocks.get(b).inverse(x, training);
        }
        return Squeeze.unsqueeze(x).add(0.5f);
    }

    /** log N(z; loc, exp(logScale)) per item under the final per-channel Gaussian. */
    public NDArray priorLogProb(NDArray z) {
        NDArray u = z.sub(priorLoc).mul(priorLogScale.neg().exp());
        return Bijection.sumPerItem(Scalars.times(u.square(), -0.5).sub(priorLogScale).sub((float) HALF_LOG_2PI));
    }

    /** The lower bound of log p(x) in nats per image (N), x integer-valued. */
    public NDArray logProb(NDArray x, boolean training, Noise noise) {
        params.bind(x.getManager());
        Bijection.Transformed d = dequantizer.forward(x, training, noise);
        Encoding e = encode(d.z(), training, noise);
        return d.logDet().add(e.logDet()).add(priorLogProb(e.z()));
    }

    /** Bits per dimension of a batch: {@code -sum(logProb) / (ln 2 * N C H W)} (a scalar). */
    public NDArray bitsPerDim(NDArray x, boolean training, Noise noise) {
        return bitsPerDim(logProb(x, training, noise), x.getShape());
    }

    /** Bits per dimension from per-image log-likelihoods of images of {@code shape}. */
    public static NDArray bitsPerDim(NDArray logProb, Shape shape) {
        return Scalars.over(logProb.sum().neg(), Math.log(2) * shape.size());
    }

    /**
     * Continuous samples y (N x C x H x W, about [0, 1]) at a temperature: the final latent is
     * {@code loc + exp(logScale) T eps}, each factored part {@code T eps}; draws in that order, factored parts from the
     * coarsest. Differentiable in the parameters. H x W must pass {@link #checkSize}; T must be positive.
     */
    public NDArray sampleContinuous(NDManager m, int count, int height, int width, double temperature,
            Noise noise, boolean training) {
        checkSize(height, width, "sample size");
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new InputException(null, "temperature", temperature, "must be a positive number");
        }
        params.bind(m);
        int nb = blocks.size();
        int c = config.blockOutputChannels(nb - 1);
        float t = (float) temperature;
        NDArray eps = noise.normal(m, new Shape(count, c, height >> nb, width >> nb));
        NDArray z = eps.mul(Scalars.times(priorLogScale.exp(), t)).add(priorLoc);
        NDArray[] factored = new NDArray[nb - 1];
        for (int b = nb - 2; b >= 0; b--) {
            int fc = 2 * config.blockOutputChannels(b);
            factored[b] = noise.normal(m, new Shape(count, fc, height >> (b + 2), width >> (b + 2))).mul(t);
        }
        return decode(z, List.of(factored), training);
    }

    /** Samples quantised to integers 0 .. 2^bits - 1 (as floats), as images are stored. */
    public NDArray sample(NDManager m, int count, int height, int width, double temperature, Noise noise) {
        return dequantizer.quantize(sampleContinuous(m, count, height, width, temperature, noise, false));
    }

    /**
     * Data-dependent initialisation of every ActNorm from a batch (each from the statistics of its own input, in
     * order, as Glow does on the first batch). Runs a training-mode pass; call it outside gradient recording.
     */
    public void initialize(NDArray x, Noise noise) {
        params.bind(x.getManager());
        List<ActNorm> pending = new ArrayList<>();
        for (DenseBlockFlow b : blocks) {
            for (Step s : b.steps()) {
                if (!s.actNorm().isInitialized()) {
                    pending.add(s.actNorm());
                }
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        // one training-mode pass in which each pending ActNorm initialises from its own input on the way
        pending.forEach(a -> a.armInitialization(true));
        try {
            logProb(x, true, noise);
        } finally {
            pending.forEach(a -> a.armInitialization(false));
        }
    }

    /** Steps of every block, in order (tests and initialisation). */
    List<Step> steps() {
        List<Step> out = new ArrayList<>();
        blocks.forEach(b -> out.addAll(b.steps()));
        return out;
    }

    Dequantizer dequantizer() {
        return dequantizer;
    }

    @Override
    public void close() {
        params.close();
    }
}
