package io.roadneg.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SMIYC pixel and component metrics against values computed by the official SegmentMeIfYouCan scorer on the
 * same frames ({@code reference/make_smiyc_reference.py}: the official metric modules, imported from a checkout,
 * numpy 1.24): AP, AUROC, FPR95 and its threshold, best F1 and its threshold for both bin strategies, and the
 * component metrics at the official best-F1 threshold. Cases: both tracks, heavy ties, a single frame, float32
 * input (rounded to float16 as the official tool stores it) and scores outside [0, 1].
 */
class SmiycReferenceTest {
    private static final double TOL = 1e-12;

    private record FrameData(int w, int h, short[] half, float[] f32, byte[] labels) {
    }

    private static JsonNode reference() throws IOException {
        try (InputStream in = SmiycReferenceTest.class.getResourceAsStream("/reference/smiyc_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<FrameData> frames(JsonNode c) {
        List<FrameData> out = new ArrayList<>();
        for (JsonNode f : c.get("frames")) {
            int w = f.get("width").asInt();
            int h = f.get("height").asInt();
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(f.get("scores").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            short[] half = null;
            float[] f32 = null;
            if (f.get("dtype").asText().equals("float16")) {
                half = new short[w * h];
                b.asShortBuffer().get(half);
            } else {
                f32 = new float[w * h];
                b.asFloatBuffer().get(f32);
            }
            out.add(new FrameData(w, h, half, f32, Base64.getDecoder().decode(f.get("labels").asText())));
        }
        return out;
    }

    private static PixelMetrics pixel(List<FrameData> frames, SmiycPixelMetrics.Bins bins) {
        SmiycPixelMetrics m = new SmiycPixelMetrics(bins);
        for (FrameData f : frames) {
            if (f.half() != null) {
                m.update(f.half(), f.labels());
            } else {
                m.update(f.f32(), f.labels());
            }
        }
        assertTrue(bins == SmiycPixelMetrics.Bins.UNIFORM || m.topTies() == 1, "reference frames have unique tops");
        return m.compute();
    }

    private static void assertPixel(String what, JsonNode ref, PixelMetrics got) {
        assertEquals(ref.get("ap").asDouble(), got.ap(), TOL, what + " AP");
        assertEquals(ref.get("auroc").asDouble(), got.auroc(), TOL, what + " AUROC");
        assertEquals(ref.get("fpr95").asDouble(), got.fpr95(), TOL, what + " FPR95");
        assertEquals(ref.get("tpr95_threshold").asDouble(), got.thresholdAtTpr95(), 0, what + " TPR95 threshold");
        assertEquals(ref.get("best_f1").asDouble(), got.bestF1(), TOL, what + " best F1");
        assertEquals(ref.get("best_f1_threshold").asDouble(), got.bestF1Threshold(), 0, what + " best F1 threshold");
    }

    @Test
    void pixelAndComponentMetricsEqualTheOfficialScorer() throws IOException {
        JsonNode ref = reference();
        int cases = 0;
        for (JsonNode c : ref.get("cases")) {
            String name = c.get("name").asText();
            List<FrameData> frames = frames(c);
            PixelMetrics pct = pixel(frames, SmiycPixelMetrics.Bins.PERCENTILES);
            assertPixel(name + " percentiles", c.get("percentiles"), pct);
            assertPixel(name + " uniform", c.get("uniform"), pixel(frames, SmiycPixelMetrics.Bins.UNIFORM));

            ComponentMetrics.Track track = c.get("track").asText().equals("anomaly")
                    ? ComponentMetrics.Track.ANOMALY : ComponentMetrics.Track.OBSTACLE;
            ComponentMetrics cm = new ComponentMetrics(track, pct.bestF1Threshold());
            for (FrameData f : frames) {
                if (f.half() != null) {
                    cm.update(f.half(), f.labels(), f.w(), f.h());
                } else {
                    cm.update(f.f32(), f.labels(), f.w(), f.h());
                }
            }
            ComponentMetrics.Result r = cm.compute();
            JsonNode rc = c.get("components");
            assertEquals(rc.get("gt_components").asInt(), r.groundTruthComponents(), name + " gt components");
            assertEquals(rc.get("pred_components").asInt(), r.predictedComponents(), name + " predicted components");
            assertEquals(rc.get("sIoU_gt").asDouble(), r.meanSIoU(), TOL, name + " sIoU");
            if (rc.get("prec_pred").isNumber()) {
                assertEquals(rc.get("prec_pred").asDouble(), r.meanPpv(), TOL, name + " PPV");
            } else {
                assertTrue(Double.isNaN(r.meanPpv()), name + " PPV with no predicted component");
            }
            assertEquals(rc.get("f1_mean").asDouble(), r.meanF1(), TOL, name + " mean F1");
            cases++;
        }
        assertEquals(6, cases);
    }

    @Test
    void referenceCasesExerciseTheRulesThatChanged() throws IOException {
        // guard against a reference that no longer tests anything: components are found in both tracks, and the
        // two bin strategies give different AP on at least one case
        boolean differ = false;
        int withPredictions = 0;
        for (JsonNode c : reference().get("cases")) {
            differ |= c.get("percentiles").get("ap").asDouble() != c.get("uniform").get("ap").asDouble();
            if (c.get("components").get("pred_components").asInt() > 0) {
                withPredictions++;
            }
        }
        assertTrue(differ);
        assertTrue(withPredictions >= 4, "cases with predicted components: " + withPredictions);
        assertFalse(reference().get("numpy").asText().isEmpty());
    }
}
