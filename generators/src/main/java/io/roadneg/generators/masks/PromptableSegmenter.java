package io.roadneg.generators.masks;

import io.roadneg.datasets.image.RgbImage;
import java.util.List;

/**
 * A promptable segmenter (SAM-style): an image is encoded once into a {@link Session}, which then answers any number
 * of prompts with one mask each. Implementations must allow several threads to hold their own sessions at once.
 */
public interface PromptableSegmenter extends AutoCloseable {

    /** Short name for logs and provenance ("grabcut", "torchscript:sam_vit_b"). */
    String name();

    /** Encodes an image for prompting; close the session when done. */
    Session encode(RgbImage image);

    /** An encoded image. Not thread-safe. */
    interface Session extends AutoCloseable {
        /**
         * One mask per prompt, in order. Every box must overlap the image (callers clip and drop the others first):
         * a box outside is an {@link IllegalArgumentException}.
         */
        List<PredictedMask> predict(List<Prompt> prompts);

        @Override
        void close();
    }

    @Override
    default void close() {
    }
}
