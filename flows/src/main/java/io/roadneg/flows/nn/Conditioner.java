package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;

/** A network inside a coupling: any function of its input (it need not be invertible). */
@FunctionalInterface
public interface Conditioner {
    /** The network's output; {@code training} selects batch statistics in BatchNorm. */
    NDArray apply(NDArray x, boolean training);
}
