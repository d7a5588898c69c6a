package io.roadneg.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ExactPixelMetricsTest {
    private static JsonNode reference() throws IOException {
        try (InputStream in = ExactPixelMetricsTest.class.getResourceAsStream("/reference/sklearn_reference.json")) {
            assertNotNull(in, "reference JSON missing from test resources");
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] scores(JsonNode frame) {
        JsonNode s = frame.get("scores");
        float[] out = new float[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) s.get(i).asDouble();
        }
        return out;
    }

    private static byte[] labels(JsonNode frame) {
        JsonNode s = frame.get("labels");
        byte[] out = new byte[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) s.get(i).asInt();
        }
        return out;
    }

    @Test
    void matchesSklearnOnTiesAndVoid() throws IOException {
        for (JsonNode c : reference().get("cases")) {
            ExactPixelMetrics acc = new ExactPixelMetrics();
            for (JsonNode f : c.get("frames")) {
                acc.update(scores(f), labels(f));
            }
            PixelMetrics m = acc.compute();
            String name = c.get("name").asText();
            assertEquals(c.get("positives").asLong(), m.positives(), name);
            assertEquals(c.get("negatives").asLong(), m.negatives(), name);
            assertEquals(c.get("ap").asDouble(), m.ap(), 1e-9, name + " AP");
            assertEquals(c.get("auroc").asDouble(), m.auroc(), 1e-9, name + " AUROC");
            assertEquals(c.get("fpr95").asDouble(), m.fpr95(), 1e-9, name + " FPR95");
        }
    }

    @Test
    void float16HistogramPathMatchesSklearn() throws IOException {
        for (JsonNode c : reference().get("cases")) {
            if (!c.get("half").asBoolean()) {
                continue;
            }
            ExactPixelMetrics half = new ExactPixelMetrics();
            for (JsonNode f : c.get("frames")) {
                float[] s = scores(f);
                short[] bits = new short[s.length];
                for (int i = 0; i < s.length; i++) {
                    bits[i] = Half.fromFloat(s[i]);
                    assertEquals(s[i], Half.toFloat(bits[i]), "value is float16-exact");
                }
                half.updateHalf(bits, labels(f));
            }
            PixelMetrics m = half.compute();
            assertEquals(c.get("ap").asDouble(), m.ap(), 1e-9);
            assertEquals(c.get("auroc").asDouble(), m.auroc(), 1e-9);
            assertEquals(c.get("fpr95").asDouble(), m.fpr95(), 1e-9);
        }
    }

    @Test
    void mergedPerThreadAccumulatorsEqualOne() throws IOException {
        JsonNode c = reference().get("cases").get(0);
        ExactPixelMetrics a = new ExactPixelMetrics();
        ExactPixelMetrics b = new ExactPixelMetrics();
        int i = 0;
        for (JsonNode f : c.get("frames")) {
            (i++ % 2 == 0 ? a : b).update(scores(f), labels(f));
        }
        a.merge(b);
        assertEquals(c.get("ap").asDouble(), a.compute().ap(), 1e-9);
        assertEquals(c.get("auroc").asDouble(), a.compute().auroc(), 1e-9);
    }

    @Test
    void mixesHalfAndFloatFramesAndCollapsesSignedZero() {
        ExactPixelMetrics a = new ExactPixelMetrics();
        a.update(new float[] {0.5f, -0f, 0.25f}, new byte[] {1, 0, 1});
        a.updateHalf(new short[] {Half.fromFloat(0.5f), (short) 0x8000, Half.fromFloat(0f)}, new byte[] {0, 1, 0});
        // sklearn by hand: thresholds 0.5 (1 pos, 1 neg), 0.25 (1 pos), 0 (1 pos, 2 neg) -> P=3, N=3
        PixelMetrics m = a.compute();
        assertEquals(3, m.positives());
        assertEquals(3, m.negatives());
        double ap = (1.0 / 3) * 0.5 + (1.0 / 3) * (2.0 / 3) + (1.0 / 3) * 0.5;
        assertEquals(ap, m.ap(), 1e-12);
        double auroc = (1.0 / 3) * (1.0 / 6) + (2.0 / 3) * ((2.0 / 3 + 1) / 2);
        assertEquals(auroc, m.auroc(), 1e-12);
        assertEquals(1.0, m.fpr95(), 1e-12);
    }

    @Test
    void missingClassIsUndefinedNotZero() {
        ExactPixelMetrics a = new ExactPixelMetrics();
        a.update(new float[] {0.1f, 0.9f, 0.3f}, new byte[] {0, 0, (byte) 255});
        PixelMetrics m = a.compute();
        assertFalse(m.defined());
        assertTrue(Double.isNaN(m.ap()));
        assertTrue(Double.isNaN(m.auroc()));
        assertTrue(m.undefinedReason().contains("no anomaly pixel"));
    }

    @Test
    void sortableKeyKeepsFloatOrder() {
        float[] v = {Float.NEGATIVE_INFINITY, -3e38f, -1f, -Float.MIN_VALUE, 0f, Float.MIN_VALUE, 1e-30f, 0.5f, 1f,
            3e38f, Float.POSITIVE_INFINITY};
        for (int i = 1; i < v.length; i++) {
            assertTrue(Integer.compareUnsigned(ExactPixelMetrics.sortableKey(v[i - 1]),
                    ExactPixelMetrics.sortableKey(v[i])) < 0, "order at " + v[i]);
            assertEquals(v[i], ExactPixelMetrics.fromSortableKey(ExactPixelMetrics.sortableKey(v[i])));
        }
        assertEquals(ExactPixelMetrics.sortableKey(0f), ExactPixelMetrics.sortableKey(-0f));
    }

    @Test
    void halfConversionRoundsToNearestEven() {
        assertEquals((short) 0x3c00, Half.fromFloat(1f));
        assertEquals((short) 0x3c00, Half.fromFloat(1f + 0x1p-11f)); // tie -> even
        assertEquals((short) 0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f)); // tie -> even (up)
        assertEquals((short) 0x0001, Half.fromFloat(0x1p-24f)); // smallest subnormal
        assertEquals((short) 0x7c00, Half.fromFloat(70000f)); // overflow
        for (int h = 0; h < 0x7c00; h++) {
            assertEquals((short) h, Half.fromFloat(Half.toFloat((short) h)), "round trip " + h);
        }
    }
}
