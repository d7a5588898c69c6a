package io.roadneg.generators;

import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.pasting.Scene;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each preset pastes into the share of outputs its {@code placement.probability} says, over a few thousand plans. */
class PasteRatesTest {
    static final int N = 4000;

    /** A 96x48 scene whose lower half is road (trainId 0), so road placement finds its ground. */
    static Scene roadScene() {
        int w = 96;
        int h = 48;
        int[] train = new int[w * h];
        for (int i = 0; i < train.length; i++) {
            train[i] = i / w >= h / 2 ? 0 : 10;
        }
        return new Scene(RgbImage.blank(w, h), new LabelMap(w, h, train), null, null);
    }

    @Test
    void everyPresetPastesAtItsProbability() {
        Scene scene = roadScene();
        for (String preset : Presets.names()) {
            PasteConfig c = Presets.load(preset, null, Map.of());
            PastePlanner planner = new PastePlanner(c, new Draws.Squares());
            long withObjects = 0;
            for (int i = 0; i < N; i++) {
                withObjects += planner.plan(9, i, "x", "train", scene).objects().isEmpty() ? 0 : 1;
            }
            Draws.assertRate(c.placement().probability(), withObjects, N, preset);
        }
    }

    @Test
    void aProbabilityBetweenZeroAndOneIsMetForOtherValuesToo() {
        Scene scene = roadScene();
        for (double p : new double[] {0.05, 0.5, 0.9}) {
            PastePlanner planner = new PastePlanner(Presets.load("pebal", null, Map.of("placement.probability",
                    String.valueOf(p))), new Draws.Squares());
            long withObjects = 0;
            for (int i = 0; i < N; i++) {
                withObjects += planner.plan(2, i, "x", "train", scene).objects().isEmpty() ? 0 : 1;
            }
            Draws.assertRate(p, withObjects, N, "probability " + p);
        }
    }

    @Test
    void aMatchedAreaIsDrawnLogUniformlyWhateverThePresetsGeometry() {
        Scene scene = roadScene();
        double frame = scene.width() * scene.height();
        for (String preset : Presets.names()) {
            PasteConfig c = Presets.load(preset, null, Map.of("placement.area", "[0.01, 0.04]", "placement.objects",
                    "[1, 3]", "placement.probability", "1.0"));
            PastePlanner planner = new PastePlanner(c, new Draws.Squares());
            long below = 0;
            long placed = 0;
            java.util.Set<Integer> counts = new java.util.TreeSet<>();
            for (int i = 0; i < N / 4; i++) {
                PastePlanner.Planned p = planner.plan(5, i, "x", "train", scene);
                counts.add(p.objects().size());
                for (var pl : p.plan().placements()) {
                    double fraction = pl.scale() * pl.scale() * 9 / frame; // a 3x3 square of mask area 9
                    org.junit.jupiter.api.Assertions.assertTrue(fraction >= 0.01 - 1e-12 && fraction <= 0.04 + 1e-12,
                            preset + ": " + fraction);
                    below += fraction < 0.02 ? 1 : 0; // the geometric midpoint: half below when log-uniform
                    placed++;
                }
            }
            org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(1, 2, 3), counts, preset);
            Draws.assertRate(0.5, below, (int) placed, preset + " log-uniform");
        }
    }

    @Test
    void aMatchedAreaIsWhatTheCompositorPastes() {
        int w = 400;
        int h = 200;
        int[] train = new int[w * h];
        Scene scene = new Scene(RgbImage.blank(w, h), new LabelMap(w, h, train), null, null);
        PasteConfig c = Presets.load("noisy-patches", null, Map.of("placement.area", "[0.02, 0.02]",
                "placement.objects", "[1, 1]", "placement.probability", "1.0", "placement.mode", "image"));
        PastePlanner planner = new PastePlanner(c, new Draws.Squares());
        io.roadneg.pasting.Compositor comp = new io.roadneg.pasting.Compositor();
        for (int i = 0; i < 20; i++) {
            PastePlanner.Planned p = planner.plan(3, i, "x", "train", scene);
            var r = comp.apply(scene, p.objects(), p.plan().placements());
            long pasted = java.util.Arrays.stream(r.trainIds().data()).filter(v -> v == c.labels().outlierTrainId())
                    .count();
            org.junit.jupiter.api.Assertions.assertEquals(0.02 * w * h, pasted, 0.25 * 0.02 * w * h,
                    "plan " + i + ": a 40x40 square give or take its rounding and a frame edge");
        }
    }
}
