package io.roadneg.generators.masks;

/**
 * Makes a {@link PromptableSegmenter} from a spec {@code scheme[:argument]} (e.g. {@code grabcut},
 * {@code grabcut:iterations=3,margin=0.1}, {@code torchscript:DIR}). Providers are found with
 * {@link java.util.ServiceLoader}, so modules with native engines (DJL) add prompters without this module knowing
 * them.
 */
public interface PrompterProvider {
    /** The scheme this provider answers to. */
    String scheme();

    /**
     * Opens a prompter.
     *
     * @param argument the text after {@code scheme:}, empty when none
     * @throws io.roadneg.datasets.InputException or IllegalArgumentException for a bad argument or model
     */
    PromptableSegmenter open(String argument);
}
