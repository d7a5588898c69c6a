package io.roadneg.finetune.data;

import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.pasting.Scene;

/** Gives a training sample its negatives: a scene with pasted pixels labelled 254, and where they came from. */
public interface NegativeSource extends AutoCloseable {
    /** A negative scene and its provenance. */
    record Negative(Scene scene, String provenance) {
    }

    /**
     * The negative version of sample {@code index} whose clean scene is {@code scene}; null when this sample gets
     * none (a recipe's own probability, no usable object).
     */
    Negative negative(long runSeed, long index, CityscapesFrame frame, Scene scene);

    @Override
    default void close() {
    }
}
