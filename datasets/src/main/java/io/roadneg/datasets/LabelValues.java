package io.roadneg.datasets;

/**
 * The label values shared by every module. Training labels use trainId maps with {@link #PASTED_OUTLIER} for pasted
 * negatives; evaluation labels use {@link #INLIER} / {@link #ANOMALY} / {@link #VOID}.
 */
public final class LabelValues {
    /** Inlier pixel in a binary anomaly label. */
    public static final int INLIER = 0;
    /** Anomalous pixel in a binary anomaly label. */
    public static final int ANOMALY = 1;
    /** Pasted outlier in a training trainId map (RPL, PEBAL, Mask2Anomaly and Meta-OOD all use 254). */
    public static final int PASTED_OUTLIER = 254;
    /** Ignore / void, in trainId maps and anomaly labels alike. */
    public static final int VOID = 255;

    private LabelValues() {
    }
}
