package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.FolderNegatives;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.data.TrainingData;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches depend only on the seed and the step: not on the worker count, not on what was asked before. */
class TrainingDataTest {
    @TempDir
    Path dir;

    TrainingData data(Path sample, Path pasted, int workers) {
        var frames = CityscapesDataset.open(sample.resolve("cityscapes")).labelledFrames("train");
        return new TrainingData(new TrainingData.Options(frames, 19, new FolderNegatives(pasted, "train"), 0.5, 3, 64,
                128, 0.5, 1.5, true, Normalization.imagenet(), 11, workers));
    }

    @Test
    void sameBatchesForAnyWorkerCountAndOrder() throws Exception {
        Path sample = dir.resolve("sd");
        SampleData.generate(SampleDataOptions.small(sample, 4), Progress.NONE);
        TrainerTest.sample = sample;
        Path pasted = dir.resolve("pasted");
        TrainerTest.makePastedFolder(pasted);
        try (TrainingData one = data(sample, pasted, 1); TrainingData two = data(sample, pasted, 2)) {
            Batch a5 = one.batch(5);
            Batch b0 = two.batch(0);
            Batch b5 = two.batch(5);
            assertArrayEquals(a5.images(), b5.images());
            assertArrayEquals(a5.labels(), b5.labels());
            assertEquals(a5.provenance(), b5.provenance());
            assertTrue(!Arrays.equals(b0.labels(), b5.labels()), "steps differ");
            boolean anyNegative = false;
            for (int s = 0; s < 8 && !anyNegative; s++) {
                anyNegative = Arrays.stream(one.batch(s).labels()).anyMatch(v -> v == 254);
            }
            assertTrue(anyNegative, "negatives reach the batches");
        }
    }
}
