package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.FolderNegatives;
import io.roadneg.finetune.data.PastedNegatives;
import io.roadneg.finetune.data.TrainingData;
import io.roadneg.generators.sources.CocoSource;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.Presets;
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
                128, 0.5, 1.5, true, 11, workers, false));
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
            assertArrayEquals(a5.pixelBytes(), b5.pixelBytes());
            assertArrayEquals(a5.labelValues(), b5.labelValues());
            assertEquals(a5.provenance(), b5.provenance());
            assertTrue(!Arrays.equals(b0.labelValues(), b5.labelValues()), "steps differ");
            boolean anyNegative = false;
            for (int s = 0; s < 8 && !anyNegative; s++) {
                anyNegative = Arrays.stream(one.batch(s).labelValues()).anyMatch(v -> v == 254);
            }
            assertTrue(anyNegative, "negatives reach the batches");
        }
    }

    /**
     * RPL's raw outlier views: one per sample that got pasted COCO negatives, after the samples: the whole source
     * picture, 254 on the object, 0 on the rest, void padding; they leave the samples themselves unchanged and do not
     * depend on the worker count.
     */
    @Test
    void rawViewsFollowTheSamplesWithTheirObjectMasks() throws Exception {
        Path sample = dir.resolve("sd-raw");
        SampleData.generate(SampleDataOptions.small(sample, 2), Progress.NONE);
        Path coco = sample.resolve("coco");
        MetaOodPreparer.run(MetaOodPreparer.Options.defaults(coco, "train", coco), Progress.NONE);
        PasteConfig pc = Presets.load("rpl", null, java.util.Map.of());
        var frames = CityscapesDataset.open(sample.resolve("cityscapes")).labelledFrames("train");
        int hw = 64 * 128;
        int raws = 0;
        try (TrainingData plain = rplData(frames, coco, pc, 1, false);
                TrainingData one = rplData(frames, coco, pc, 1, true);
                TrainingData two = rplData(frames, coco, pc, 2, true)) {
            for (long step = 0; step < 3; step++) {
                Batch p = plain.batch(step);
                Batch a = one.batch(step);
                Batch b = two.batch(step);
                assertEquals(0, p.raw());
                assertArrayEquals(a.pixelBytes(), b.pixelBytes());
                assertArrayEquals(a.labelValues(), b.labelValues());
                assertArrayEquals(p.labelValues(), Arrays.copyOf(a.labelValues(), p.n() * hw), "samples are unchanged");
                assertArrayEquals(p.pixelBytes(), Arrays.copyOf(a.pixelBytes(), p.n() * 3 * hw));
                long withNegatives = a.provenance().stream().filter(x -> x.contains("+")).count();
                assertEquals(withNegatives, a.raw(), "one raw view per sample with negatives: " + a.provenance());
                assertEquals((long) a.total() * hw, a.labelValues().length);
                for (int r = 0; r < a.raw(); r++) {
                    int[] view = Arrays.copyOfRange(a.labelValues(), (a.n() + r) * hw, (a.n() + r + 1) * hw);
                    assertTrue(Arrays.stream(view).allMatch(v -> v == 254 || v == 255 || v == 0), "254 / 0 / 255");
                    assertTrue(Arrays.stream(view).anyMatch(v -> v == 254), "the object is there");
                    assertTrue(Arrays.stream(view).filter(v -> v == 0).count() > 20, "and the rest of its picture");
                }
                raws += a.raw();
            }
        }
        assertTrue(raws > 0, "some samples got negatives");
    }

    private static TrainingData rplData(java.util.List<CityscapesDataset.CityscapesFrame> frames, Path coco,
            PasteConfig pc, int workers, boolean raw) {
        return new TrainingData(new TrainingData.Options(frames, 19, new PastedNegatives(pc,
                CocoSource.open(coco, coco, (io.roadneg.generators.sources.CocoSourceConfig) pc.source())), 1.0, 3, 64, 128, 0.5, 1.5,
                true, 5, workers, raw));
    }
}
