package io.roadneg.finetune.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.roadneg.datasets.LabelValues;

/**
 * The training targets of one batch: train ids 0..K-1 for inliers, {@link LabelValues#PASTED_OUTLIER} for pasted
 * negatives and {@link LabelValues#VOID} for ignored pixels, with the masks the loss terms share.
 */
public final class Targets {
    private final int[] labels;
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
        if (labels.length != (long) (n + raw) * height * width) {
            throw new IllegalArgumentException("labels hold " + labels.length + " values, not (" + n + " + " + raw
                    + ") x " + height + " x " + width);
        }
        this.labels = labels;
        this.n = n;
        this.raw = raw;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.seed = seed;
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
        classIndex = manager.create(idx, s);
        inlier = manager.create(in, s);
        outlier = manager.create(out, s);
        inlierCount = inlier.sum().maximum(1f);
        outlierCount = outlier.sum().maximum(1f);
        outlierPixels = outs;
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

    /** The label values, (N + raw) x H x W row-major. */
    public int[] labels() {
        return labels;
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
