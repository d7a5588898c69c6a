package io.roadneg.finetune.loss;

import ai.djl.ndarray.NDArray;
import io.roadneg.finetune.model.Head;
import io.roadneg.finetune.model.SegOutput;
import java.util.Set;

/** One named term of a composite loss: a scalar from the network output and the targets. */
public interface LossTerm {
    /** The name in logs ({@code ce}, {@code lse_neg}, ...). */
    String name();

    /** Heads of the network this term reads. */
    default Set<Head> needs() {
        return Set.of();
    }

    /** Whether the term reads the frozen base's logits (an RPL network). */
    default boolean needsResidual() {
        return false;
    }

    /** The unweighted value, a scalar. */
    NDArray compute(SegOutput out, Targets t);
}
