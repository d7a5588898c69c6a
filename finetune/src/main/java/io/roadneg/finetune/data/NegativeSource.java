package io.roadneg.finetune.data;

import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.pasting.PasteObject;
import io.roadneg.pasting.Scene;

/** Gives a training sample its negatives: a scene with pasted pixels labelled 254, and where they came from. */
public interface NegativeSource extends AutoCloseable {
    /**
     * A negative scene and its provenance.
     *
     * @param raw one of the pasted objects as it was cut from its source image (box with context and mask), for
     *     RPL's CoroCL view of the raw outlier image; null when the source has none (a finished paste folder)
     */
    record Negative(Scene scene, String provenance, PasteObject raw) {
        /** A negative without a raw view. */
        public Negative(Scene scene, String provenance) {
            this(scene, provenance, null);
        }
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
