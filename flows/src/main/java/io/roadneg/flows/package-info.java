/**
 * DenseFlow, a normalizing flow for synthetic negatives, in DJL on the PyTorch engine.
 *
 * <p>Entry points: {@link io.roadneg.flows.DenseFlowConfig} (architecture and optimiser, loaded from
 * {@code configs/flows/*.yaml}), {@link io.roadneg.flows.DenseFlow} (log-likelihood and bits/dim of integer images,
 * exact {@code encode}/{@code decode} between dequantised images and latents, sampling at a temperature),
 * {@link io.roadneg.flows.Noise} (where the Gaussian draws come from: per-item seeded host streams or the engine),
 * {@link io.roadneg.flows.ParamStore} (named parameters, {@code .npz} checkpoints) and
 * {@link io.roadneg.flows.Adamax} (DenseFlow's optimiser). Every call is differentiable; gradients flow from a loss on
 * samples back into the flow's parameters.
 */
package io.roadneg.flows;
