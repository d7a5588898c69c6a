package io.roadneg.finetune.data;

import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.pasting.PasteObject;
import io.roadneg.pasting.Scene;
import java.util.function.Supplier;

/** Gives a training sample its negatives: a scene with pasted pixels labelled 254, and where they came from. */
public interface NegativeSource extends AutoCloseable {
    /**
     * A negative scene and its provenance.
     *
     * @param raw gives the source picture of the first pasted object with its mask (the whole transformed image
     *     where the source has one, else the cut-out), for RPL's CoroCL view of the raw outlier image; called only
     *     when the run uses raw views; null when there is none (a finished paste folder)
     * @param rawScale the scale that object was pasted at (the raw view shows its picture at the same scale)
     * @param objects the number of objects pasted, -1 when not known (a finished paste folder)
     */
    record Negative(Scene scene, String provenance, Supplier<PasteObject> raw, double rawScale, int objects) {
        /** A negative without a raw view and an unknown object count. */
        public Negative(Scene scene, String provenance) {
            this(scene, provenance, null, 1.0, -1);
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
