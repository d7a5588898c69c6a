package io.roadneg.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * What every segmenter base offers: class logits and the decoder features they come from, at the same (reduced)
 * resolution, and the classifier itself so a residual on the features can share it (RPL).
 */
public interface SegmenterBase extends Block {
    /** Runs the base on normalised N x 3 x H x W images: {@code [logits N x K x h x w, features N x C x h x w]}. */
    NDList run(ParameterStore ps, NDArray images, boolean training);

    /** The base's own classifier applied to features (logits at the features' resolution). */
    NDArray classify(ParameterStore ps, NDArray features, boolean training);

    /** Number of known classes K. */
    int numClasses();

    /** Number of feature channels C. */
    int featureChannels();
}
