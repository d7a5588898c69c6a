package io.roadneg.flows.source;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.roadneg.generators.PasteConfig;
import java.util.List;

/**
 * Flow negatives (DenseHybrid, NFlowJS): square samples of a trained flow at a random side.
 *
 * @param run flow run folder (null: {@code --flow} must give it)
 * @param items number of distinct sample streams (item i draws its latents from stream i)
 * @param side [min, max] sample side in pixels
 * @param sideStep the side is min + k sideStep
 * @param temperature scales the latents' standard deviation (positive)
 */
@JsonTypeName("flow")
public record FlowSourceConfig(String run, Integer items, List<Integer> side, Integer sideStep, Double temperature)
        implements PasteConfig.Source {
    /** Checks every value. */
    public FlowSourceConfig {
        items = PasteConfig.required(items, "source.items");
        if (items <= 0) {
            throw new IllegalArgumentException("source.items must be positive, found " + items);
        }
        side = List.copyOf(PasteConfig.required(side, "source.side"));
        if (side.size() != 2 || side.get(0) < 1 || side.get(1) < side.get(0) || side.get(1) > 4096) {
            throw new IllegalArgumentException("source.side must be [min, max] within [1, 4096], found " + side);
        }
        sideStep = PasteConfig.required(sideStep, "source.sideStep");
        if (sideStep <= 0) {
            throw new IllegalArgumentException("source.sideStep must be positive, found " + sideStep);
        }
        temperature = PasteConfig.required(temperature, "source.temperature");
        if (!(temperature > 0) || temperature.isInfinite()) {
            throw new IllegalArgumentException("source.temperature must be a positive number, found " + temperature);
        }
    }
}
