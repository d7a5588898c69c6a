/**
 * The compositing engine: a {@link io.roadneg.pasting.PastePlan} records every random choice for one output image,
 * {@link io.roadneg.pasting.Compositor} applies it deterministically.
 */
package io.roadneg.pasting;
