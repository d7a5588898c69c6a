package io.roadneg.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames counted by several accumulators and merged give the numbers of one accumulator that saw them all. */
class SmiycMergeTest {
    private record Frame(short[] half, byte[] target, int w, int h) {
    }

    private static List<Frame> frames(long seed) {
        Random rnd = new Random(seed);
        List<Frame> out = new ArrayList<>();
        for (int f = 0; f < 9; f++) {
            int w = 80 + rnd.nextInt(40);
            int h = 50 + rnd.nextInt(20);
            short[] half = new short[w * h];
            byte[] target = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    // one object of 41x25 px (both tracks keep it), one of 5x5 (void on the anomaly track)
                    boolean blob = Math.abs(x - w / 2) < 21 && Math.abs(y - h / 2) < 13 || x < 5 && y < 5;
                    target[i] = (byte) (rnd.nextInt(15) == 0 ? 255 : blob ? 1 : 0);
                    // coarse levels: ties within and across frames, and a shared top score in some frames
                    float v = f % 3 == 0 && i == 0 ? 0.95f : rnd.nextInt(40) / 40f * 0.6f + (blob ? 0.35f : 0f);
                    half[i] = Half.fromFloat(v);
                }
            }
            out.add(new Frame(half, target, w, h));
        }
        return out;
    }

    private static void assertSame(PixelMetrics a, PixelMetrics b, String what) {
        assertEquals(a.protocol(), b.protocol(), what);
        assertEquals(a.positives(), b.positives(), what);
        assertEquals(a.negatives(), b.negatives(), what);
        assertEquals(a.ap(), b.ap(), 0, what + " AP");
        assertEquals(a.auroc(), b.auroc(), 0, what + " AUROC");
        assertEquals(a.fpr95(), b.fpr95(), 0, what + " FPR95");
        assertEquals(a.thresholdAtTpr95(), b.thresholdAtTpr95(), 0, what);
        assertEquals(a.bestF1(), b.bestF1(), 0, what + " F1");
        assertEquals(a.bestF1Threshold(), b.bestF1Threshold(), 0, what);
    }

    @Test
    void mergedAccumulatorsEqualOneForBothBinStrategies() {
        for (long seed = 1; seed <= 4; seed++) {
            List<Frame> frames = frames(seed);
            for (SmiycPixelMetrics.Bins bins : SmiycPixelMetrics.Bins.values()) {
                SmiycPixelMetrics all = new SmiycPixelMetrics(bins);
                for (Frame f : frames) {
                    all.update(f.half(), f.target());
                }
                // frames dealt to three accumulators round robin, merged in reverse order
                SmiycPixelMetrics[] parts = {new SmiycPixelMetrics(bins), new SmiycPixelMetrics(bins),
                    new SmiycPixelMetrics(bins)};
                for (int i = 0; i < frames.size(); i++) {
                    parts[i % 3].update(frames.get(i).half(), frames.get(i).target());
                }
                parts[2].merge(parts[1]);
                parts[2].merge(parts[0]);
                String what = "seed " + seed + ", " + bins;
                assertSame(all.compute(), parts[2].compute(), what);
                assertEquals(all.topTies(), parts[2].topTies(), what + " top ties");
            }
        }
    }

    @Test
    void componentsMergedInFrameOrderEqualOneAccumulator() {
        List<Frame> frames = frames(7);
        for (ComponentMetrics.Track track : ComponentMetrics.Track.values()) {
            ComponentMetrics all = new ComponentMetrics(track, 0.5);
            ComponentMetrics merged = new ComponentMetrics(track, 0.5);
            for (Frame f : frames) {
                all.update(f.half(), f.target(), f.w(), f.h());
                ComponentMetrics one = new ComponentMetrics(track, 0.5);
                one.update(f.half(), f.target(), f.w(), f.h());
                merged.merge(one);
            }
            assertEquals(all.compute(), merged.compute(), track.name());
            ComponentMetrics.Result r = all.compute();
            assertEquals(true, r.groundTruthComponents() > 0 && r.predictedComponents() > 0, track + ": " + r);
        }
    }
}
