package io.roadneg.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roadneg.datasets.LabelValues;
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

    /** The reference cases of float32 (and float16) scores, or of float64 scores. */
    private static java.util.List<JsonNode> cases(boolean float64) throws IOException {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode c : reference().get("cases")) {
            if (c.path("float64").asBoolean(false) == float64) {
                out.add(c);
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }

    private static double[] doubles(JsonNode frame) {
        JsonNode s = frame.get("scores");
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asDouble();
        }
        return out;
    }

    private static void assertReference(JsonNode expected, PixelMetrics m, String name) {
        assertEquals(expected.get("ap").asDouble(), m.ap(), 1e-9, name + " AP");
        assertEquals(expected.get("auroc").asDouble(), m.auroc(), 1e-9, name + " AUROC");
        assertEquals(expected.get("fpr95").asDouble(), m.fpr95(), 1e-9, name + " FPR95");
    }

    @Test
    void float64ScoresRankAsDoublesAsSklearnDoes() throws IOException {
        for (JsonNode c : cases(true)) {
            String name = c.get("name").asText();
            // the case is one where rounding to float32 changes the answer
            assertTrue(Math.abs(c.get("ap").asDouble() - c.get("ap_if_rounded_to_float32").asDouble()) > 1e-3, name);
            ExactPixelMetrics one = new ExactPixelMetrics();
            ExactPixelMetrics[] split = {new ExactPixelMetrics(), new ExactPixelMetrics(7)};
            ExactPixelMetrics allWide = new ExactPixelMetrics();
            int i = 0;
            for (JsonNode f : c.get("frames")) {
                double[] d = doubles(f);
                byte[] l = labels(f);
                for (ExactPixelMetrics acc : new ExactPixelMetrics[] {one, split[i++ % 2]}) {
                    if (f.get("upcast").asBoolean()) {
                        acc.update(scores(f), l); // a float32 map saved as float64 is read as float32
                    } else {
                        acc.updateWide(d, l);
                    }
                }
                allWide.updateWide(d, l);
                // each frame on its own, float64 ranked as doubles
                assertReference(f, ExactPixelMetrics.ofFrameWide(d, l), name + " frame " + i);
            }
            split[0].merge(split[1]);
            assertReference(c, one.compute(), name);
            assertReference(c, split[0].compute(2), name + " merged, 2 threads");
            assertReference(c, allWide.compute(), name + " all as float64");
            assertEquals(c.get("positives").asLong(), one.compute().positives(), name);
            assertEquals(c.get("negatives").asLong(), one.compute().negatives(), name);
        }
    }

    @Test
    void float64PathEqualsTheFloatPathOnFloatValues() throws IOException {
        for (JsonNode c : cases(false)) {
            String name = c.get("name").asText();
            ExactPixelMetrics viaFloat = new ExactPixelMetrics();
            ExactPixelMetrics viaDouble = new ExactPixelMetrics();
            ExactPixelMetrics mixed = new ExactPixelMetrics();
            int i = 0;
            for (JsonNode f : c.get("frames")) {
                float[] s = scores(f);
                double[] d = new double[s.length];
                for (int k = 0; k < s.length; k++) {
                    d[k] = s[k];
                }
                byte[] l = labels(f);
                viaFloat.update(s, l);
                viaDouble.updateWide(d, l);
                if (i++ % 2 == 0) {
                    mixed.updateWide(d, l);
                } else {
                    mixed.update(s, l);
                }
                PixelMetrics a = ExactPixelMetrics.ofFrame(s, l);
                PixelMetrics b = ExactPixelMetrics.ofFrameWide(d, l);
                assertEquals(a.ap(), b.ap(), 1e-12, name);
                assertEquals(a.auroc(), b.auroc(), 1e-12, name);
                assertEquals(a.fpr95(), b.fpr95(), 0, name);
                assertEquals(a.thresholdAtTpr95(), b.thresholdAtTpr95(), 0, name);
                assertEquals(a.bestF1Threshold(), b.bestF1Threshold(), 0, name);
            }
            PixelMetrics a = viaFloat.compute();
            for (PixelMetrics b : new PixelMetrics[] {viaDouble.compute(), mixed.compute(2)}) {
                assertEquals(a.ap(), b.ap(), 0, name);
                assertEquals(a.auroc(), b.auroc(), 0, name);
                assertEquals(a.fpr95(), b.fpr95(), 0, name);
                assertEquals(a.bestF1(), b.bestF1(), 0, name);
                assertEquals(a.bestF1Threshold(), b.bestF1Threshold(), 0, name);
                assertEquals(a.curve(), b.curve(), name);
            }
        }
    }

    @Test
    void float64FrameMetricsEqualTheSortedWalkOverAnyRange() {
        java.util.Random rnd = new java.util.Random(17);
        for (int c = 0; c < 60; c++) {
            int n = 2 + rnd.nextInt(c < 20 ? 40 : 5000);
            double[] s = new double[n];
            byte[] t = new byte[n];
            for (int i = 0; i < n; i++) {
                s[i] = switch (c % 5) {
                    case 0 -> rnd.nextInt(4) * 1e-13; // ties and near ties
                    case 1 -> rnd.nextGaussian();
                    // keys spread over more than a long's signed span
                    case 2 -> (rnd.nextBoolean() ? -1 : 1) * Math.pow(10, rnd.nextInt(600) - 300);
                    case 3 -> rnd.nextBoolean() ? -Double.MAX_VALUE : Double.MAX_VALUE * rnd.nextDouble();
                    default -> 0.5 + rnd.nextInt(3) * Math.ulp(0.5);
                };
                t[i] = (byte) (rnd.nextInt(10) < 3 ? LabelValues.ANOMALY : rnd.nextInt(10) == 0 ? 255 : 0);
            }
            ExactPixelMetrics sorted = new ExactPixelMetrics();
            sorted.updateWide(s, t);
            PixelMetrics a = sorted.compute();
            PixelMetrics b = ExactPixelMetrics.ofFrameWide(s, t);
            if (!a.defined()) {
                assertTrue(Double.isNaN(b.ap()));
                continue;
            }
            assertEquals(a.ap(), b.ap(), 1e-12, "case " + c);
            assertEquals(a.auroc(), b.auroc(), 1e-12, "case " + c);
            assertEquals(a.fpr95(), b.fpr95(), 0, "case " + c);
            assertEquals(a.thresholdAtTpr95(), b.thresholdAtTpr95(), 0, "case " + c);
            assertEquals(a.bestF1(), b.bestF1(), 1e-12, "case " + c);
            assertEquals(a.bestF1Threshold(), b.bestF1Threshold(), 0, "case " + c);
        }
    }

    @Test
    void pooledFloat64RunsMergeAsOneFrame() {
        // many frames of every shape (empty classes, one pixel, ties across frames, float32 frames among them),
        // several accumulators merged: the pooled walk over per-frame runs equals the frame metric of everything
        java.util.Random rnd = new java.util.Random(23);
        for (int c = 0; c < 12; c++) {
            ExactPixelMetrics[] parts = {new ExactPixelMetrics(), new ExactPixelMetrics(), new ExactPixelMetrics(5)};
            java.util.List<double[]> all = new java.util.ArrayList<>();
            java.util.List<byte[]> labels = new java.util.ArrayList<>();
            int total = 0;
            for (int f = 0; f < 30; f++) {
                int n = rnd.nextInt(4) == 0 ? rnd.nextInt(2) : rnd.nextInt(300);
                double[] s = new double[n];
                byte[] t = new byte[n];
                int kind = rnd.nextInt(4); // 0: anomalies only, 1: inliers only, else mixed
                boolean asFloat = rnd.nextInt(3) == 0;
                for (int i = 0; i < n; i++) {
                    s[i] = c % 2 == 0 ? rnd.nextInt(20) * 0.05 + rnd.nextInt(3) * 1e-13 : rnd.nextGaussian();
                    if (asFloat) {
                        s[i] = (float) s[i];
                    }
                    t[i] = (byte) (kind == 0 ? 1 : kind == 1 ? 0
                            : rnd.nextInt(10) < 3 ? 1 : rnd.nextInt(8) == 0 ? 255 : 0);
                }
                ExactPixelMetrics acc = parts[f % 3];
                if (asFloat) {
                    float[] fs = new float[n];
                    for (int i = 0; i < n; i++) {
                        fs[i] = (float) s[i];
                    }
                    acc.update(fs, t);
                } else {
                    acc.updateWide(s, t);
                }
                all.add(s);
                labels.add(t);
                total += n;
            }
            parts[1].merge(parts[2]);
            parts[0].merge(parts[1]);
            double[] s = new double[total];
            byte[] t = new byte[total];
            int at = 0;
            for (int f = 0; f < all.size(); f++) {
                System.arraycopy(all.get(f), 0, s, at, all.get(f).length);
                System.arraycopy(labels.get(f), 0, t, at, labels.get(f).length);
                at += all.get(f).length;
            }
            PixelMetrics a = ExactPixelMetrics.ofFrameWide(s, t);
            PixelMetrics b = parts[0].compute(c % 3 + 1);
            assertEquals(a.positives(), b.positives(), "case " + c);
            assertEquals(a.negatives(), b.negatives(), "case " + c);
            assertEquals(a.ap(), b.ap(), 1e-12, "case " + c);
            assertEquals(a.auroc(), b.auroc(), 1e-12, "case " + c);
            assertEquals(a.fpr95(), b.fpr95(), 0, "case " + c);
            assertEquals(a.thresholdAtTpr95(), b.thresholdAtTpr95(), 0, "case " + c);
            assertEquals(a.bestF1Threshold(), b.bestF1Threshold(), 0, "case " + c);
        }
    }

    @Test
    void wideKeyKeepsDoubleOrder() {
        double[] v = {-Double.MAX_VALUE, -3e38, -1, -1e-300, -Double.MIN_VALUE, 0, Double.MIN_VALUE, 1e-300, 0.5,
            0.5 + 1e-16, 1, 3e38, Double.MAX_VALUE};
        for (int i = 1; i < v.length; i++) {
            assertTrue(ExactPixelMetrics.wideKey(v[i - 1]) < ExactPixelMetrics.wideKey(v[i]), "order at " + v[i]);
            assertEquals(v[i], ExactPixelMetrics.fromWideKey(ExactPixelMetrics.wideKey(v[i])));
        }
        assertEquals(ExactPixelMetrics.wideKey(0.0), ExactPixelMetrics.wideKey(-0.0));
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 100000; i++) {
            double a = Double.longBitsToDouble(rnd.nextLong());
            double b = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isFinite(a) && Double.isFinite(b)) {
                assertEquals(Integer.signum(Double.compare(a == 0 ? 0 : a, b == 0 ? 0 : b)),
                        Integer.signum(Long.compare(ExactPixelMetrics.wideKey(a), ExactPixelMetrics.wideKey(b))));
            }
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
        for (JsonNode c : cases(false)) {
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
        for (JsonNode c : cases(false)) {
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
    void frameSortPathAndTinyFoldBudgetMatchSklearn() throws IOException {
        for (JsonNode c : cases(false)) {
            String name = c.get("name").asText();
            ExactPixelMetrics folding = new ExactPixelMetrics(7); // folds every 7 raw pixels: the mid-run fold path
            int total = 0;
            for (JsonNode f : c.get("frames")) {
                total += f.get("scores").size();
            }
            float[] all = new float[total];
            byte[] lab = new byte[total];
            int at = 0;
            for (JsonNode f : c.get("frames")) {
                float[] s = scores(f);
                byte[] l = labels(f);
                folding.update(s, l);
                System.arraycopy(s, 0, all, at, s.length);
                System.arraycopy(l, 0, lab, at, l.length);
                at += s.length;
            }
            for (PixelMetrics m : new PixelMetrics[] {folding.compute(), ExactPixelMetrics.ofFrame(all, lab)}) {
                assertEquals(c.get("positives").asLong(), m.positives(), name);
                assertEquals(c.get("ap").asDouble(), m.ap(), 1e-9, name + " AP");
                assertEquals(c.get("auroc").asDouble(), m.auroc(), 1e-9, name + " AUROC");
                assertEquals(c.get("fpr95").asDouble(), m.fpr95(), 1e-9, name + " FPR95");
            }
        }
    }

    @Test
    void denseFoldAgreesWithFrameSortAndThreadCountChangesNothing() {
        // 40 frames of 3000 pixels in [1, 1 + 2^-7): one top-16-bit bucket, so its fold takes the dense histogram
        java.util.Random rnd = new java.util.Random(5);
        int frames = 40;
        float[][] s = new float[frames][3000];
        byte[][] t = new byte[frames][3000];
        float[] all = new float[frames * 3000];
        byte[] lab = new byte[frames * 3000];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < 3000; i++) {
                int v = rnd.nextInt(20000); // about 6 pixels per distinct value: ties across frames and labels
                s[f][i] = 1f + v * 0x1p-23f;
                t[f][i] = (byte) (rnd.nextInt(10) == 0 ? 255 : rnd.nextInt(20000) < v / 2 ? 1 : 0);
                all[f * 3000 + i] = s[f][i];
                lab[f * 3000 + i] = t[f][i];
            }
        }
        PixelMetrics reference = ExactPixelMetrics.ofFrameBySorting(all, lab);
        assertTrue(reference.defined());
        for (int threads = 1; threads <= 3; threads++) {
            java.util.List<ExactPixelMetrics> parts = io.roadneg.evaluation.FrameWorkers.run(frames, threads,
                    ExactPixelMetrics::new, (m, f) -> m.update(s[f], t[f]));
            ExactPixelMetrics m = parts.get(0);
            for (int w = 1; w < parts.size(); w++) {
                m.merge(parts.get(w));
            }
            PixelMetrics r = m.compute(threads);
            assertEquals(reference.positives(), r.positives());
            assertEquals(reference.negatives(), r.negatives());
            // bit-identical, not just close: the sums run over the same integer counts in the same order
            assertEquals(reference.ap(), r.ap(), 0.0, threads + " threads");
            assertEquals(reference.auroc(), r.auroc(), 0.0, threads + " threads");
            assertEquals(reference.fpr95(), r.fpr95(), 0.0, threads + " threads");
            assertEquals(reference.thresholdAtTpr95(), r.thresholdAtTpr95(), 0.0);
        }
    }

    @Test
    void mergedAccumulatorsKeepTheirBuffersThroughFurtherUpdatesNestedMergesAndFolds() {
        // merged parts are folded bucket by bucket with the one they merged into, never copied: frames added after a
        // merge, a merge of a merged accumulator and folds forced by a tiny budget must all give the one-pass result
        java.util.Random rnd = new java.util.Random(11);
        int frames = 12;
        int px = 5000;
        float[][] s = new float[frames][px];
        byte[][] t = new byte[frames][px];
        float[] all = new float[frames * px];
        byte[] lab = new byte[frames * px];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < px; i++) {
                s[f][i] = rnd.nextInt(4) == 0 ? 1f + rnd.nextInt(30000) * 0x1p-23f : rnd.nextFloat() * 3;
                t[f][i] = (byte) (rnd.nextInt(12) == 0 ? 255 : rnd.nextInt(3) == 0 ? 1 : 0);
                all[f * px + i] = s[f][i];
                lab[f * px + i] = t[f][i];
            }
        }
        PixelMetrics reference = ExactPixelMetrics.ofFrameBySorting(all, lab);
        for (long budget : new long[] {1L << 40, 7000}) {
            ExactPixelMetrics a = new ExactPixelMetrics(budget);
            ExactPixelMetrics b = new ExactPixelMetrics(budget);
            ExactPixelMetrics c = new ExactPixelMetrics(budget);
            for (int f = 0; f < 4; f++) {
                a.update(s[f], t[f]);
                b.update(s[f + 4], t[f + 4]);
                c.update(s[f + 8], t[f + 8]);
            }
            b.merge(c);
            a.merge(b);
            PixelMetrics r = a.compute(2);
            assertEquals(reference.ap(), r.ap(), 0.0, "budget " + budget);
            assertEquals(reference.auroc(), r.auroc(), 0.0, "budget " + budget);
            assertEquals(reference.fpr95(), r.fpr95(), 0.0, "budget " + budget);

            ExactPixelMetrics d = new ExactPixelMetrics(budget);
            ExactPixelMetrics e = new ExactPixelMetrics(budget);
            d.update(s[0], t[0]);
            e.update(s[1], t[1]);
            d.merge(e);
            for (int f = 2; f < frames; f++) {
                d.update(s[f], t[f]); // past the tiny budget these updates fold the merged buffers too
            }
            PixelMetrics r2 = d.compute();
            assertEquals(reference.ap(), r2.ap(), 0.0, "updates after a merge, budget " + budget);
            assertEquals(reference.auroc(), r2.auroc(), 0.0, "updates after a merge, budget " + budget);
            assertEquals(reference.positives(), r2.positives());
            assertEquals(reference.negatives(), r2.negatives());
        }
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

    @Test
    void perFrameMetricsWithoutASortEqualTheSortedCurve() {
        java.util.Random rnd = new java.util.Random(11);
        for (int c = 0; c < 40; c++) {
            int n = 2 + rnd.nextInt(c < 10 ? 30 : 20000);
            int levels = c % 4 == 0 ? 3 : c % 4 == 1 ? 200 : 0; // heavy ties, some ties, continuous
            float[] s = new float[n];
            byte[] t = new byte[n];
            for (int i = 0; i < n; i++) {
                float v = levels > 0 ? rnd.nextInt(levels) / (float) levels : (float) rnd.nextGaussian() * 3;
                byte lab = (byte) (rnd.nextInt(8) == 0 ? 255 : rnd.nextDouble() < 0.1 + 0.3 * (c % 3) / 2.0 ? 1 : 0);
                if (c == 5) {
                    lab = (byte) (i == 0 ? 1 : 0); // a single anomaly pixel
                }
                if (c % 10 == 8) {
                    // two extreme anomaly scores stretch the lookup's range over neighbouring floats near 1: its
                    // slots then hold many keys each
                    v = 1f + rnd.nextInt(4000) * 0x1p-23f;
                    if (i < 2) {
                        lab = 1;
                        v = i == 0 ? -3e37f : 3e37f;
                    }
                }
                s[i] = lab == 1 && c % 5 == 2 ? v + 0.5f : v;
                t[i] = lab;
            }
            PixelMetrics fast = ExactPixelMetrics.ofFrame(s, t);
            PixelMetrics ref = ExactPixelMetrics.ofFrameBySorting(s, t);
            String what = "case " + c + " (" + n + " px, " + levels + " levels)";
            assertEquals(ref.positives(), fast.positives(), what);
            assertEquals(ref.negatives(), fast.negatives(), what);
            assertEquals(ref.ap(), fast.ap(), 1e-12, what + " AP");
            assertEquals(ref.auroc(), fast.auroc(), 1e-12, what + " AUROC");
            assertEquals(ref.fpr95(), fast.fpr95(), 0, what + " FPR95");
            assertEquals(ref.thresholdAtTpr95(), fast.thresholdAtTpr95(), 0, what + " TPR95 threshold");
            assertEquals(ref.bestF1(), fast.bestF1(), 1e-15, what + " best F1");
            assertEquals(ref.bestF1Threshold(), fast.bestF1Threshold(), 0, what + " best F1 threshold");
        }
    }
}
