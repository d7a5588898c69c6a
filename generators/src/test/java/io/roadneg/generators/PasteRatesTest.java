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
}
