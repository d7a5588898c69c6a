package io.roadneg.finetune.model;

import ai.djl.ndarray.NDArray;

/**
 * What a segmentation network gives a loss or a score. Logits and heads are at the input resolution; features and
 * the projection at the network's feature stride. Absent parts are null.
 *
 * @param logits class logits N x K x H x W (the RPL logits when the network has a residual)
 * @param features decoder features N x C x h x w (for RPL: features plus residual)
 * @param vanilla the frozen base's own logits N x K x H x W (RPL only)
 * @param dout DenseHybrid's 2-way dataset logits N x 2 x H x W
 * @param abstain PEBAL's abstention logit N x 1 x H x W
 * @param projection RPL's normalised embedding N x E x h x w
 */
public record SegOutput(NDArray logits, NDArray features, NDArray vanilla, NDArray dout, NDArray abstain,
        NDArray projection) {
}
