package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.cityscapes.CityscapesLayout;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.finetune.data.PastedNegatives;
import io.roadneg.finetune.data.TrainingData;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.generators.Draws;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.Presets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share of training samples that carry pasted negatives is {@code data.negatives.mix} times the paste recipe's
 * {@code placement.probability}: the mix and the recipe draw from separate streams (with one shared stream the rate
 * would be min(mix, probability)).
 */
class NegativeMixTest {
    static final int N = 4000;
    static final int BATCH = 50;

    @TempDir
    static Path dir;

    static List<CityscapesDataset.CityscapesFrame> frames(Path dir) {
        Path root = dir.resolve("cs");
        for (int f = 0; f < 3; f++) {
            var id = new CityscapesLayout.FrameId("mixtown", f, 19);
            int[] train = new int[48 * 24];
            for (int i = 0; i < train.length; i++) {
                train[i] = i / 48 >= 12 ? 0 : 10;
            }
            Images.writePng(CityscapesLayout.image(root, "train", id), RgbImage.blank(48, 24), 1, Map.of());
            Images.writePng(CityscapesLayout.labelTrainIds(root, "train", id), new LabelMap(48, 24, train), 1,
                    Map.of());
        }
        return CityscapesDataset.open(root).labelledFrames("train");
    }

    /** Samples (of N) that carried negatives. */
    static long withNegatives(List<CityscapesDataset.CityscapesFrame> frames, PasteConfig pc, double mix, long seed) {
        long k = 0;
        try (TrainingData data = new TrainingData(new TrainingData.Options(frames, 19, new PastedNegatives(pc,
                new Draws.Squares()), mix, BATCH, 8, 16, 1.0, 1.0, false, seed, 1, false))) {
            for (long step = 0; step < N / BATCH; step++) {
                k += data.batch(step).provenance().stream().filter(p -> p.contains("+")).count();
            }
        }
        return k;
    }

    @Test
    void mixTimesProbability() {
        var frames = frames(dir);
        PasteConfig m2a = Presets.load("mask2anomaly", null, Map.of());
        assertEquals(0.2, m2a.placement().probability());
        for (double mix : new double[] {0.1, 0.5, 1.0}) {
            Draws.assertRate(mix * 0.2, withNegatives(frames, m2a, mix, 3), N, "mix " + mix
                    + " x mask2anomaly 0.2");
        }
        Draws.assertRate(0.5, withNegatives(frames, Presets.load("pebal", null, Map.of()), 0.5, 4), N,
                "mix 0.5 x pebal 1");
    }

    @Test
    void everyRecipeGivesItsMixTimesItsPresetsProbability() {
        var frames = frames(dir);
        for (String recipe : Recipes.NAMES) {
            TrainConfig c = Recipes.load(recipe, "reference", null, Map.of());
            TrainConfig.NegativesConfig n = c.data().negatives();
            if (n.source().equals("none") || !c.loss().usesNegatives()) {
                continue;
            }
            if (n.source().equals(TrainConfig.NegativesConfig.FLOW)) {
                // a flow square on every sample that carries negatives (FlowNegativesTest)
                assertEquals(1.0, n.mix(), recipe);
                continue;
            }
            PasteConfig pc = Recipes.pasteConfig(n);
            Draws.assertRate(n.mix() * pc.placement().probability(), withNegatives(frames, pc, n.mix(), 5), N,
                    recipe);
        }
    }
}
