package io.roadneg.pasting;

/** How pasted pixels are mixed into the destination. The label is the binary mask in every mode. */
public enum BlendMode {
    /** Mask pixels replace the destination (RPL, PEBAL, Mask2Anomaly, DenseHybrid: alpha = binary mask). */
    HARD,
    /** Alpha is the mask blurred by a Gaussian inside the object, so edges fade instead of cutting. */
    FEATHER,
    /** Poisson image editing (OpenCV seamlessClone, normal clone) over the mask. */
    POISSON
}
