package io.roadneg.pasting;

import io.roadneg.datasets.coco.Rle;

/**
 * One pasted object as it ends up in the output: its visible pixels (later objects occlude earlier ones) as a
 * full-image RLE, for the COCO instances JSON of the pasted set.
 *
 * @param placementIndex index of the placement in the plan
 * @param sourceId source item id
 * @param categoryId source category id, or -1
 * @param categoryName source category name
 * @param visible the visible pixels
 */
public record PastedInstance(int placementIndex, String sourceId, int categoryId, String categoryName, Rle visible) {
}
