package io.roadneg.plugintest;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.roadneg.generators.PasteConfig;
import java.util.List;

/**
 * The test source's recipe section.
 *
 * @param items number of items
 * @param side disc diameter range in pixels
 */
@JsonTypeName("checker")
public record CheckerSourceConfig(int items, List<Double> side) implements PasteConfig.Source {
    /** Checks the values. */
    public CheckerSourceConfig {
        if (items < 1) {
            throw new IllegalArgumentException("source.items must be >= 1, found " + items);
        }
        PasteConfig.range(side, "source.side", 4, 1000);
    }
}
