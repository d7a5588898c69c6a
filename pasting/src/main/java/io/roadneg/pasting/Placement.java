package io.roadneg.pasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Every random choice for one pasted object: which source item (and the source's own draws, e.g. a crop or mask
 * type), how it is transformed and where it lands. Applying a placement involves no randomness.
 *
 * @param source the source name ("coco", "ade20k", "patches", ...)
 * @param sourceItem the source's item id
 * @param sourceDraw the source's own random choices, so the same object can be rebuilt
 * @param scale resize factor applied to the object
 * @param rotationDeg rotation about the object's centre, degrees counter-clockwise
 * @param flip horizontal flip (before rotation)
 * @param x destination column of the transformed object's top-left corner (may be negative: clipped)
 * @param y destination row of the transformed object's top-left corner
 * @param blend blend mode
 * @param featherSigma Gaussian sigma of the feathered edge, pixels (FEATHER only)
 * @param colorMatch 0..1: how far the object's per-channel mean and spread move to those of the destination under it
 * @param brightness multiplicative gain on the object's pixels after colour matching
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Placement(String source, String sourceItem, Map<String, Object> sourceDraw, double scale,
        double rotationDeg, boolean flip, int x, int y, BlendMode blend, double featherSigma, double colorMatch,
        double brightness) {
    /** Validates the numbers. */
    public Placement {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive, found " + scale);
        }
        if (colorMatch < 0 || colorMatch > 1) {
            throw new IllegalArgumentException("colorMatch must be in [0, 1], found " + colorMatch);
        }
        if (!(brightness > 0)) {
            throw new IllegalArgumentException("brightness must be positive, found " + brightness);
        }
        if (featherSigma < 0) {
            throw new IllegalArgumentException("featherSigma must be >= 0, found " + featherSigma);
        }
        sourceDraw = sourceDraw == null ? Map.of() : sourceDraw;
    }
}
