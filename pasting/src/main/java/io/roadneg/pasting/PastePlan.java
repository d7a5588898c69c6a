package io.roadneg.pasting;

import java.util.List;

/**
 * The plan for one output image: the destination frame, the item's seed and the objects to paste, in paint order
 * (later objects occlude earlier ones). Written beside each output so any image can be regenerated exactly.
 *
 * @param index item index in the run
 * @param seed the item's seed, derived from (run seed, index)
 * @param destination the destination frame id (e.g. Cityscapes {@code aachen_000000_000019})
 * @param destinationSplit the destination split
 * @param placements objects in paint order
 */
public record PastePlan(long index, long seed, String destination, String destinationSplit,
        List<Placement> placements) {
    public PastePlan {
        placements = List.copyOf(placements);
    }
}
