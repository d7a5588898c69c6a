package io.roadneg.generators.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.roadneg.generators.PasteConfig;
import java.util.List;

/**
 * Noisy negatives: rectangular patches cut at random from any image folder.
 *
 * @param folder image folder (null: the ADE20K images of the sample data or of {@code --ade20k-root})
 * @param side patch side range in pixels
 * @param aspect aspect-ratio jitter range (width / height)
 */
@JsonTypeName("patches")
public record PatchSourceConfig(String folder, List<Double> side, List<Double> aspect) implements PasteConfig.Source {
    public PatchSourceConfig {
        side = List.copyOf(PasteConfig.required(side, "source.side"));
        PasteConfig.range(side, "side", 2, 100000);
        aspect = List.copyOf(PasteConfig.required(aspect, "source.aspect"));
        PasteConfig.range(aspect, "aspect", 0.01, 100);
    }
}
