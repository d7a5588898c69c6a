package io.roadneg.prompters;

import io.roadneg.generators.masks.PromptableSegmenter;
import io.roadneg.generators.masks.PrompterProvider;
import java.nio.file.Path;

/** The {@code torchscript:DIR} scheme: a folder holding {@code encoder.pt}, {@code decoder.pt} and a config. */
public final class TorchScriptProvider implements PrompterProvider {
    @Override
    public String scheme() {
        return "torchscript";
    }

    @Override
    public PromptableSegmenter open(String argument) {
        if (argument.isBlank()) {
            throw new IllegalArgumentException("prompter torchscript: give the model folder, torchscript:DIR");
        }
        return TorchScriptSegmenter.load(Path.of(argument));
    }
}
