package io.roadneg.evaluation;

import io.roadneg.evaluation.metrics.ComponentMetrics;
import io.roadneg.evaluation.metrics.PerImageMetrics;
import io.roadneg.evaluation.metrics.PixelMetrics;
import java.util.List;

/**
 * Everything {@code gen eval} computed, with the protocol, void rule and resolution that produced it.
 *
 * @param dataset benchmark name
 * @param title benchmark title
 * @param voidRule how label values were mapped
 * @param protocol the protocol followed
 * @param resolution the frames' resolution(s), e.g. {@code 2048x1024}
 * @param frames frames evaluated
 * @param pixel the headline pixel metrics
 * @param pixelUniform the SMIYC uniform-bin variant (SMIYC protocol only, else null)
 * @param perImage per-image averaged exact metrics (exact protocol only, else null)
 * @param components SMIYC component metrics (SMIYC tracks only, else null)
 * @param perFrame each frame's own exact AP (NaN where undefined), for picking worst / best frames
 * @param openSet open-set segmentation metrics (only with class predictions, else null)
 */
public record EvalResult(String dataset, String title, String voidRule, Protocol protocol, String resolution,
        int frames, PixelMetrics pixel, PixelMetrics pixelUniform, PerImageMetrics.Result perImage,
        ComponentMetrics.Result components, List<FrameScore> perFrame, OpenSetSummary openSet) {

    /**
     * A frame's own score.
     *
     * @param id frame id
     * @param ap the frame's exact AP (NaN when it has no anomaly or no inlier pixel)
     */
    public record FrameScore(String id, double ap) {
    }
}
