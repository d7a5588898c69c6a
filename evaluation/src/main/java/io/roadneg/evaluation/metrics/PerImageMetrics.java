package io.roadneg.evaluation.metrics;

/**
 * Per-image averaged exact AP, AUROC and FPR95 (how StreetHazards results are often reported): each frame is scored on
 * its own and the defined values are averaged; frames without both classes are counted and left out, never as 0.
 */
public final class PerImageMetrics {
    /**
     * The averages.
     *
     * @param frames frames whose metrics were defined and averaged
     * @param skipped frames left out because they lack anomaly or inlier pixels
     * @param ap mean AP
     * @param auroc mean AUROC
     * @param fpr95 mean FPR95
     */
    public record Result(int frames, int skipped, double ap, double auroc, double fpr95) {
    }

    private int frames;
    private int skipped;
    private double ap;
    private double auroc;
    private double fpr95;

    /** Scores one frame and adds it to the averages. */
    public void update(float[] scores, byte[] target) {
        ExactPixelMetrics one = new ExactPixelMetrics();
        one.update(scores, target);
        add(one.compute());
    }

    /** Scores one frame of float16 scores and adds it to the averages. */
    public void updateHalf(short[] scores, byte[] target) {
        ExactPixelMetrics one = new ExactPixelMetrics();
        one.updateHalf(scores, target);
        add(one.compute());
    }

    /** Adds a frame already scored on its own. */
    public void add(PixelMetrics m) {
        if (!m.defined()) {
            skipped++;
            return;
        }
        frames++;
        ap += m.ap();
        auroc += m.auroc();
        fpr95 += m.fpr95();
    }

    /** The averages (NaN when no frame had both classes). */
    public Result compute() {
        return frames == 0 ? new Result(0, skipped, Double.NaN, Double.NaN, Double.NaN)
                : new Result(frames, skipped, ap / frames, auroc / frames, fpr95 / frames);
    }
}
