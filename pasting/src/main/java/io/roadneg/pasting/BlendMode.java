package io.roadneg.pasting;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How pasted pixels are mixed into the destination. The label is the binary mask in every mode. */
public enum BlendMode {
    /** Mask pixels replace the destination (RPL, PEBAL, Mask2Anomaly, DenseHybrid: alpha = binary mask). */
    @JsonProperty("hard")
    HARD,
    /** Alpha is the mask blurred by a Gaussian inside the object, so edges fade instead of cutting. */
    @JsonProperty("feather")
    FEATHER,
    /** Poisson image editing (OpenCV seamlessClone, normal clone) over the mask. */
    @JsonProperty("poisson")
    POISSON
}
