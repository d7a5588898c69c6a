package io.roadneg.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-built cases for the SMIYC component metrics, checked against hand-computed numbers and an independent
 * set-based implementation of the definitions written here (BFS components, explicit pixel sets).
 */
class ComponentMetricsTest {
    private static final int W = 40;
    private static final int H = 30;

    private static void rect(byte[] t, int x0, int y0, int x1, int y1, int v) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                t[y * W + x] = (byte) v;
            }
        }
    }

    private static void rect(float[] s, int x0, int y0, int x1, int y1, float v) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                s[y * W + x] = v;
            }
        }
    }

    /** Two ground-truth objects, one prediction covering both plus background, one small and one false prediction. */
    private static Object[] twoObjectsCase() {
        byte[] t = new byte[W * H];
        float[] s = new float[W * H];
        rect(t, 2, 2, 8, 8, 1); // gt A: 36 px
        rect(t, 10, 2, 16, 8, 1); // gt B: 36 px
        rect(t, 30, 20, 32, 22, 1); // gt C: 4 px, below the obstacle minimum of 10 -> void
        rect(s, 2, 2, 16, 8, 0.9f); // one prediction over A, B and the gap: 84 px
        rect(s, 20, 20, 28, 28, 0.8f); // a false prediction: 64 px
        rect(s, 35, 2, 38, 4, 0.9f); // 6 px prediction: dropped (< 50)
        rect(s, 29, 19, 33, 23, 0.9f); // prediction around the voided gt C: only 12 px outside void, dropped
        rect(t, 0, 28, 40, 30, 255); // a void strip
        return new Object[] {s, t};
    }

    @Test
    void twoGroundTruthObjectsUnderOnePrediction() {
        Object[] c = twoObjectsCase();
        ComponentMetrics m = new ComponentMetrics(ComponentMetrics.Track.OBSTACLE, 0.5);
        m.update((float[]) c[0], (byte[]) c[1], W, H);
        ComponentMetrics.Result r = m.compute();
        assertEquals(2, r.groundTruthComponents());
        assertEquals(2, r.predictedComponents());
        // sIoU(A) = 36 / (84 + 36 - 36 - 36 on B) = 0.75; same for B
        assertEquals(0.75, r.meanSIoU(), 1e-12);
        // PPV: 72/84 and 0/64
        assertEquals((72.0 / 84 + 0) / 2, r.meanPpv(), 1e-12);
        // F1(t): TP = 2 for t <= 0.75 (all 11), FN = 0; FP = 1 (the false one) for t <= 72/84, so FP=1 always
        assertEquals(2.0 * 2 / (2 * 2 + 0 + 1), r.meanF1(), 1e-12);
        assertAgrees(c, ComponentMetrics.Track.OBSTACLE, 0.5, r);
    }

    @Test
    void touchingComponentsAreOneAndSizeFiltersApply() {
        byte[] t = new byte[W * H];
        float[] s = new float[W * H];
        rect(t, 5, 5, 10, 10, 1);
        rect(t, 10, 10, 15, 15, 1); // touches the first diagonally: one 8-connected component of 50 px
        rect(s, 5, 5, 15, 10, 0.7f); // prediction: 50 px, half on the object
        rect(s, 14, 10, 15, 15, 0.7f); // 5 px, diagonally connected to the prediction above -> 55 px
        ComponentMetrics m = new ComponentMetrics(ComponentMetrics.Track.OBSTACLE, 0.6);
        m.update(s, t, W, H);
        ComponentMetrics.Result r = m.compute();
        assertEquals(1, r.groundTruthComponents());
        assertEquals(1, r.predictedComponents());
        // inter = 25 + 5 = 30; union = 55 + 50 - 30 = 75
        assertEquals(30.0 / 75, r.meanSIoU(), 1e-12);
        assertEquals(30.0 / 55, r.meanPpv(), 1e-12);
        assertAgrees(new Object[] {s, t}, ComponentMetrics.Track.OBSTACLE, 0.6, r);
        // the anomaly track drops this 55 px prediction (< 500) and keeps the 50 px object (>= 100? no: void)
        ComponentMetrics a = new ComponentMetrics(ComponentMetrics.Track.ANOMALY, 0.6);
        a.update(s, t, W, H);
        ComponentMetrics.Result ra = a.compute();
        assertEquals(0, ra.groundTruthComponents());
        assertEquals(0, ra.predictedComponents());
        assertAgrees(new Object[] {s, t}, ComponentMetrics.Track.ANOMALY, 0.6, ra);
    }

    @Test
    void scoresTiedWithTheThresholdAreNotPredicted() {
        // official default_instancer: anomaly_p > thresh_p, compared in float16 (numpy 1.23 casts the threshold)
        byte[] t = new byte[W * H];
        float[] s = new float[W * H];
        rect(t, 2, 2, 10, 10, 1); // gt: 64 px, scored exactly 0.5
        rect(s, 2, 2, 10, 10, 0.5f);
        rect(s, 20, 10, 28, 18, 0.6f); // a false response of 64 px
        for (double thr : new double[] {0.5, 0.4999}) {
            // 0.4999 rounds to the float16 0.5, so the tied object stays unpredicted in float16 as well
            // only the false response is predicted: gt sIoU 0, PPV 0; every t: TP 0, FN 1, FP 1 -> F1 0.
            // (with score >= threshold the object would be a 64 px prediction with sIoU 1: F1 = 2/(2+0+1))
            checkObstacle(s, t, thr, 1, 0.0, 0.0, 0.0);
        }
        // just below the float16 0.5 the object is predicted: sIoU 1, PPV 1 and 0, F1 = 2/3 at every t
        checkObstacle(s, t, 0.4995, 2, 1.0, 0.5, 2.0 / 3);
    }

    /** Obstacle-track metrics of one frame: one object, the predictions, mean sIoU / PPV / F1, and the set check. */
    private static void checkObstacle(float[] s, byte[] t, double thr, int predictions, double sIoU, double ppv,
            double f1) {
        ComponentMetrics m = new ComponentMetrics(ComponentMetrics.Track.OBSTACLE, thr);
        m.update(s, t, W, H);
        ComponentMetrics.Result r = m.compute();
        assertEquals(1, r.groundTruthComponents());
        assertEquals(predictions, r.predictedComponents());
        assertEquals(sIoU, r.meanSIoU(), 1e-15);
        assertEquals(ppv, r.meanPpv(), 1e-15);
        assertEquals(f1, r.meanF1(), 1e-15);
        assertAgrees(new Object[] {s, t}, ComponentMetrics.Track.OBSTACLE, thr, r);
    }

    @Test
    void smallObjectsBecomeVoidAfterThePredictionSizeRule() {
        // official default_instancer removes small predicted components first, then makes small objects void
        byte[] t = new byte[W * H];
        float[] s = new float[W * H];
        rect(t, 2, 2, 10, 10, 1); // gt A: 64 px, found exactly
        rect(s, 2, 2, 10, 10, 0.9f);
        rect(t, 20, 20, 23, 22, 1); // gt B: 6 px, under the obstacle minimum of 10 -> void
        rect(s, 20, 20, 23, 22, 0.9f);
        rect(s, 14, 20, 20, 28, 0.9f); // false response of 48 px touching B: one component of 54 px
        // the 54 px component passes the 50 px rule; counted without B's 6 px it has 48 px, none on an object:
        // PPV 0. A: sIoU 64 / (64 + 64 - 64) = 1, PPV 1. Every t: TP 1, FN 0, FP 1 -> F1 = 2/3.
        // (making B void first would leave a 48 px component, dropped: PPV 1 only and F1 1)
        checkObstacle(s, t, 0.5, 2, 1.0, 0.5, 2.0 / 3);
    }

    /** The definitions again, written with explicit pixel sets. */
    private static void assertAgrees(Object[] c, ComponentMetrics.Track track, double thr, ComponentMetrics.Result r) {
        float[] s = (float[]) c[0];
        byte[] t = (byte[]) c[1];
        List<Set<Integer>> gts = new ArrayList<>();
        Set<Integer> voids = new HashSet<>();
        for (Set<Integer> g : bfs(i -> t[i] == 1)) {
            if (g.size() < track.minGroundTruth()) {
                voids.addAll(g);
            } else {
                gts.add(g);
            }
        }
        // official order: prediction (float16 score > float16 threshold, not on void), its components and their
        // size rule first; only then are small objects void, and each prediction is counted without their pixels
        float thrH = Half.toFloat(Half.fromDouble(thr));
        List<Set<Integer>> preds = new ArrayList<>();
        for (Set<Integer> p : bfs(i -> Half.toFloat(Half.fromFloat(s[i])) > thrH && (t[i] == 0 || t[i] == 1))) {
            if (p.size() >= track.minPredicted()) {
                Set<Integer> inRoi = new HashSet<>(p);
                inRoi.removeAll(voids);
                if (!inRoi.isEmpty()) {
                    preds.add(inRoi);
                }
            }
        }
        double sumS = 0;
        for (Set<Integer> g : gts) {
            Set<Integer> union = new HashSet<>(g);
            int inter = 0;
            for (Set<Integer> p : preds) {
                if (p.stream().anyMatch(g::contains)) {
                    for (int i : p) {
                        boolean onOther = gts.stream().anyMatch(o -> o != g && o.contains(i));
                        if (!onOther) {
                            union.add(i);
                        }
                        if (g.contains(i)) {
                            inter++;
                        }
                    }
                }
            }
            sumS += (double) inter / union.size();
        }
        double sumP = 0;
        for (Set<Integer> p : preds) {
            long on = p.stream().filter(i -> gts.stream().anyMatch(g -> g.contains(i))).count();
            sumP += (double) on / p.size();
        }
        assertEquals(gts.size(), r.groundTruthComponents());
        assertEquals(preds.size(), r.predictedComponents());
        if (!gts.isEmpty()) {
            assertEquals(sumS / gts.size(), r.meanSIoU(), 1e-12);
        }
        if (!preds.isEmpty()) {
            assertEquals(sumP / preds.size(), r.meanPpv(), 1e-12);
        }
    }

    private static List<Set<Integer>> bfs(java.util.function.IntPredicate in) {
        boolean[] seen = new boolean[W * H];
        List<Set<Integer>> out = new ArrayList<>();
        for (int i = 0; i < W * H; i++) {
            if (seen[i] || !in.test(i)) {
                continue;
            }
            Set<Integer> comp = new HashSet<>();
            ArrayDeque<Integer> q = new ArrayDeque<>();
            q.add(i);
            seen[i] = true;
            while (!q.isEmpty()) {
                int p = q.poll();
                comp.add(p);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = p % W + dx;
                        int y = p / W + dy;
                        int n = y * W + x;
                        if (x >= 0 && x < W && y >= 0 && y < H && !seen[n] && in.test(n)) {
                            seen[n] = true;
                            q.add(n);
                        }
                    }
                }
            }
            out.add(comp);
        }
        return out;
    }
}
