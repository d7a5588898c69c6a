/**
 * The flow's invertible maps: each {@link io.roadneg.flows.bijection.Bijection} returns z with its per-item
 * log-determinant and has an exact inverse (ActNorm, LU 1x1 convolution, affine coupling, channel switch, squeeze,
 * sigmoid, and their compositions).
 */
package io.roadneg.flows.bijection;
