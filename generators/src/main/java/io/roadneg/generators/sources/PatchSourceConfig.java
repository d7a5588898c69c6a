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
        side = side == null ? List.of(32.0, 128.0) : List.copyOf(side);
        PasteConfig.range(side, "side", 2, 100000);
        aspect = aspect == null ? List.of(0.5, 2.0) : List.copyOf(aspect);
        PasteConfig.range(aspect, "aspect", 0.01, 100);
    }
}
