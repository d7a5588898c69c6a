package io.roadneg.datasets;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * The one seed policy: every random consumer draws from its own named stream, seeded by (run seed, stream name, item
 * index), so an item's draws depend neither on thread count or order nor on what another consumer drew. The streams
 * of the paste job and the training data are named here; the sample-data generator names its streams
 * {@code cityscapes/SPLIT}, {@code ade20k/SPLIT}, {@code coco/FOLDER} and {@code anomaly/BENCHMARK}.
 */
public final class Seeds {
    /** A paste output's plan: whether it gets objects, which, where, how blended (item: output index). */
    public static final String PASTE_PLAN = "paste/plan";
    /** Whether a training sample carries negatives, {@code data.negatives.mix} (item: sample index). */
    public static final String TRAIN_MIX = "train/mix";
    /** A training sample's scale, crop and flip, and its raw view's mirror (item: sample index). */
    public static final String TRAIN_AUGMENT = "train/augment";
    /** The frame order of a training epoch (item: epoch). */
    public static final String TRAIN_ORDER = "train/order";
    /** The frame of a finished paste folder that a training sample takes as its negative (item: sample index). */
    public static final String TRAIN_FOLDER_NEGATIVE = "train/folder-negative";
    /** The embeddings CoroCL samples in a step (item: step). */
    public static final String TRAIN_CONTRAST = "train/contrast";
    /** A training sample's flow square: side and position (item: sample index). */
    public static final String TRAIN_FLOW_PATCH = "train/flow-patch";
    /** The latent a training sample's flow square is decoded from (item: sample index). */
    public static final String TRAIN_FLOW_SAMPLE = "train/flow-sample";
    /** The flow's dequantisation and cross-unit noise for the likelihood of the inlier patch (item: sample index). */
    public static final String TRAIN_FLOW_NLL = "train/flow-nll";

    private Seeds() {
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit value from any 64-bit input. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The seed of item {@code index} of stream {@code stream} in run {@code runSeed}. */
    public static long of(long runSeed, String stream, long index) {
        long h = mix(runSeed ^ 0x9e3779b97f4a7c15L);
        for (int i = 0; i < stream.length(); i++) {
            h = mix(h + stream.charAt(i));
        }
        return mix(h + index * 0x9e3779b97f4a7c15L);
    }

    /** A {@link Random} for item {@code index} of {@code stream} (the type outlier sources draw from). */
    public static Random rng(long runSeed, String stream, long index) {
        return new Random(of(runSeed, stream, index));
    }

    /** A {@link SplittableRandom} for item {@code index} of {@code stream}. */
    public static SplittableRandom splittable(long runSeed, String stream, long index) {
        return new SplittableRandom(of(runSeed, stream, index));
    }
}
