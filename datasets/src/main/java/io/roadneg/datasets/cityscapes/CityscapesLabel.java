package io.roadneg.datasets.cityscapes;

/**
 * One row of the official Cityscapes label table.
 *
 * @param name class name
 * @param id labelId as stored in {@code _gtFine_labelIds.png} (-1 for license plate, which is never stored)
 * @param trainId trainId (255 = ignored in training and evaluation)
 * @param category category name (flat, construction, object, nature, sky, human, vehicle, void)
 * @param hasInstances whether {@code _instanceIds.png} stores {@code id * 1000 + k} for it
 * @param ignoreInEval whether evaluation ignores it
 * @param color RGB colour packed as 0xRRGGBB
 */
public record CityscapesLabel(String name, int id, int trainId, String category, boolean hasInstances,
        boolean ignoreInEval, int color) {
}
