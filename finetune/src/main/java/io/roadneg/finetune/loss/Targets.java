package io.roadneg.finetune.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.roadneg.datasets.LabelValues;
import java.util.function.Supplier;

/**
 * The training targets of one batch: train ids 0..K-1 for inliers, {@link LabelValues#PASTED_OUTLIER} for pasted
 * negatives and {@link LabelValues#VOID} for ignored pixels, with the masks the loss terms share.
 */
public final class Targets {
    private final Supplier<int[]> labels;
    private final int n;
    private final int raw;
    private final int height;
    private final int width;
    private final int numClasses;
    private final long seed;
    private final NDArray classIndex;
    private final NDArray inlier;
    private final NDArray outlier;
    private final NDArray inlierCount;
    private final NDArray outlierCount;
    private final long outlierPixels;

    /**
     * @param manager where the target arrays live (the step's manager)
     * @param labels N x H x W train ids, row-major
     * @param seed the seed for terms that sample pixels (derived from the run seed and the step)
     */
    public Targets(NDManager manager, int[] labels, int n, int height, int width, int numClasses, long seed) {
        this(manager, labels, n, 0, height, width, numClasses, seed);
    }

    /**
     * Targets of a batch whose last {@code raw} entries are raw outlier views (RPL's CoroCL): their pixels are in
     * neither mask, so only terms that ask for them ({@link #raw()}) see them.
     *
     * @param labels (N + raw) x H x W values, row-major
     */
    public Targets(NDManager manager, int[] labels, int n, int raw, int height, int width, int numClasses,
            long seed) {
        this(() -> labels, n, raw, height, width, numClasses, seed, onHost(manager, labels, n, raw, height, width,
                numClasses));
    }

    /** The masks made on the host, and the pasted-outlier pixel count. */
    private record HostMasks(NDArray classIndex, NDArray inlier, NDArray outlier, long outliers) {
    }

    private static HostMasks onHost(NDManager manager, int[] labels, int n, int raw, int height, int width,
            int numClasses) {
        if (labels.length != (long) (n + raw) * height * width) {
            throw new IllegalArgumentException("labels hold " + labels.length + " values, not (" + n + " + " + raw
                    + ") x " + height + " x " + width);
        }
        long[] idx = new long[labels.length];
        float[] in = new float[labels.length];
        float[] out = new float[labels.length];
        long outs = 0;
        int firstRaw = n * height * width;
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            if (i >= firstRaw) {
                if (v != LabelValues.PASTED_OUTLIER && v != LabelValues.VOID && (v < 0 || v >= numClasses)) {
                    throw new IllegalArgumentException("raw-view label " + v + " is neither 254, 255 nor a train id");
                }
            } else if (v >= 0 && v < numClasses) {
                idx[i] = v;
                in[i] = 1f;
            } else if (v == LabelValues.PASTED_OUTLIER) {
                out[i] = 1f;
                outs++;
            } else if (v != LabelValues.VOID) {
                throw new IllegalArgumentException("label " + v + " is neither a train id below " + numClasses
                        + ", 254 (outlier) nor 255 (void)");
            }
        }
        Shape s = new Shape(n + raw, height, width);
        return new HostMasks(manager.create(idx, s), manager.create(in, s), manager.create(out, s), outs);
    }

    private Targets(Supplier<int[]> labels, int n, int raw, int height, int width, int numClasses, long seed,
            HostMasks m) {
        this(labels, n, raw, height, width, numClasses, seed, m.classIndex(), m.inlier(), m.outlier(), m.outliers());
    }

    private Targets(Supplier<int[]> labels, int n, int raw, int height, int width, int numClasses, long seed,
            NDArray classIndex, NDArray inlier, NDArray outlier, long outlierPixels) {
        this.labels = labels;
        this.n = n;
        this.raw = raw;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.seed = seed;
        this.classIndex = classIndex;
        this.inlier = inlier;
        this.outlier = outlier;
        this.inlierCount = inlier.sum().maximum(1f);
        this.outlierCount = outlier.sum().maximum(1f);
        this.outlierPixels = outlierPixels;
    }

    /**
     * Targets built on the labels' device from 8-bit labels (N + raw) x H x W, with no host round trip: the same
     * arrays as the host constructor makes from the same values. The values must already be checked (train ids
     * below {@code numClasses}, 254, 255; raw views also 0 .. K-1); {@code outlierPixels} is the pasted-outlier count
     * of the N samples, counted where the batch was assembled, and {@code hostLabels} gives the values on the host
     * for the terms that sample pixels there.
     */
    public static Targets onDevice(NDArray labels8, int n, int raw, int numClasses, long seed, long outlierPixels,
            Supplier<int[]> hostLabels) {
        long[] s = labels8.getShape().getShape();
        if (s.length != 3 || s[0] != n + raw) {
            throw new IllegalArgumentException("labels of shape " + labels8.getShape() + " are not (" + n + " + "
                    + raw + ") x H x W");
        }
        NDManager m = labels8.getManager();
        float[] rows = new float[n + raw];
        java.util.Arrays.fill(rows, 0, n, 1f);
        NDArray sample = m.create(rows, new Shape(n + raw, 1, 1));
        NDArray v = labels8.toType(DataType.INT32, false);
        NDArray inlier = v.lt(numClasses).toType(DataType.FLOAT32, false).mul(sample);
        NDArray outlier = v.eq(LabelValues.PASTED_OUTLIER).toType(DataType.FLOAT32, false).mul(sample);
        NDArray classIndex = v.mul(inlier.toType(DataType.INT32, false)).toType(DataType.INT64, false);
        return new Targets(hostLabels, n, raw, (int) s[1], (int) s[2], numClasses, seed, classIndex, inlier, outlier,
                outlierPixels);
    }

    /** Train ids with non-inlier pixels set to 0 (int64, N x H x W); use with {@link #inlier()}. */
    public NDArray classIndex() {
        return classIndex;
    }

    /** 1 on inlier pixels ((N + raw) x H x W, 0 on raw views). */
    public NDArray inlier() {
        return inlier;
    }

    /** 1 on pasted-outlier pixels of the N samples ((N + raw) x H x W, 0 on raw views). */
    public NDArray outlier() {
        return outlier;
    }

    /** max(1, number of inlier pixels). */
    public NDArray inlierCount() {
        return inlierCount;
    }

    /** max(1, number of outlier pixels). */
    public NDArray outlierCount() {
        return outlierCount;
    }

    /** Number of outlier pixels. */
    public long outlierPixels() {
        return outlierPixels;
    }

    /** The label values, (N + raw) x H x W row-major, on the host. */
    public int[] labels() {
        return labels.get();
    }

    /** Training samples (the raw views come after them). */
    public int n() {
        return n;
    }

    /** Raw outlier views after the {@link #n()} samples (0 unless the run asked for them). */
    public int raw() {
        return raw;
    }

    /** Height. */
    public int height() {
        return height;
    }

    /** Width. */
    public int width() {
        return width;
    }

    /** K. */
    public int numClasses() {
        return numClasses;
    }

    /** Seed for sampling terms. */
    public long seed() {
        return seed;
    }

    /** Masked mean of a per-pixel (N + raw) x H x W value. */
    public static NDArray masked(NDArray perPixel, NDArray mask, NDArray count) {
        return perPixel.mul(mask).sum().div(count);
    }

    static NDArray int64(NDManager m, long[] v) {
        return m.create(v).toType(DataType.INT64, false);
    }
}
