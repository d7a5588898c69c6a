package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.data.TrainingData;
import io.roadneg.finetune.loss.Targets;
import io.roadneg.finetune.train.StepInputs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch moved to the device as 8-bit values and normalised / turned into targets there gives the same bits as the
 * host path it replaced (floats normalised on the host, targets built from int labels), raw views included.
 */
class StepInputsTest {
    static final int N = 3;
    static final int RAW = 2;
    static final int H = 5;
    static final int W = 7;
    static final int K = 19;

    @Test
    void deviceInputsEqualTheHostPathBitForBit() {
        SplittableRandom r = new SplittableRandom(4);
        int hw = H * W;
        int entries = N + RAW;
        ByteBuffer pixels = ByteBuffer.allocateDirect(entries * 3 * hw);
        ByteBuffer labels = ByteBuffer.allocateDirect(entries * hw);
        float[] hostImages = new float[entries * 3 * hw];
        int[] hostLabels = new int[entries * hw];
        Normalization norm = new Normalization(new double[] {0.3, 0.5, 0.41}, new double[] {0.2, 0.27, 0.31});
        long outliers = 0;
        for (int e = 0; e < entries; e++) {
            byte[] hwc = new byte[hw * 3];
            for (int i = 0; i < hwc.length; i++) {
                hwc[i] = (byte) r.nextInt(256);
            }
            norm.write(new RgbImage(W, H, hwc), hostImages, e * 3 * hw);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < hw; i++) {
                    pixels.put(hwc[i * 3 + c]);
                }
            }
            for (int i = 0; i < hw; i++) {
                int v = switch (r.nextInt(4)) {
                    case 0 -> 254;
                    case 1 -> 255;
                    default -> r.nextInt(K);
                };
                hostLabels[e * hw + i] = v;
                labels.put((byte) v);
                outliers += e < N && v == 254 ? 1 : 0;
            }
        }
        pixels.flip();
        labels.flip();
        Batch b = new Batch(N, RAW, H, W, pixels, labels, outliers, List.of("a", "b", "c"), null);
        assertArrayEquals(hostLabels, b.labelValues());
        try (NDManager m = NDManager.newBaseManager()) {
            StepInputs in = StepInputs.of(m, b, norm, K, 9);
            assertEquals(new Shape(entries, 3, H, W), in.images().getShape());
            float[] dev = in.images().toFloatArray();
            for (int i = 0; i < dev.length; i++) {
                assertEquals(Float.floatToIntBits(hostImages[i]), Float.floatToIntBits(dev[i]), "pixel " + i);
            }
            Targets host = new Targets(m, hostLabels, N, RAW, H, W, K, 9);
            Targets t = in.targets();
            assertArrayEquals(host.classIndex().toLongArray(), t.classIndex().toLongArray());
            assertArrayEquals(host.inlier().toFloatArray(), t.inlier().toFloatArray());
            assertArrayEquals(host.outlier().toFloatArray(), t.outlier().toFloatArray());
            assertEquals(host.inlierCount().getFloat(), t.inlierCount().getFloat());
            assertEquals(host.outlierCount().getFloat(), t.outlierCount().getFloat());
            assertEquals(host.outlierPixels(), t.outlierPixels());
            assertArrayEquals(hostLabels, t.labels());
            assertEquals(N, t.n());
            assertEquals(RAW, t.raw());
            assertEquals(H, t.height());
            assertEquals(W, t.width());
        }
    }

    @TempDir
    Path dir;

    /** The prefetch queue hands out exactly the batches {@code batch(step)} gives, in order, at any depth. */
    @Test
    void prefetchedBatchesAreTheStepsBatches() {
        var frames = NegativeMixTest.frames(dir);
        for (int depth : new int[] {1, 3}) {
            try (TrainingData data = new TrainingData(new TrainingData.Options(frames, 19, null, 0, 2, 8, 16, 0.75,
                    1.25, true, 5, 2, false)); TrainingData.Prefetch p = data.prefetch(2, 7, depth)) {
                List<String> got = new ArrayList<>();
                for (long s = 2; s < 7; s++) {
                    Batch b = p.next();
                    got.add(b.provenance() + java.util.Arrays.toString(b.labelValues()));
                    Batch direct = data.batch(s);
                    assertArrayEquals(direct.pixelBytes(), b.pixelBytes(), "step " + s + " depth " + depth);
                    assertArrayEquals(direct.labelValues(), b.labelValues());
                    assertEquals(direct.provenance(), b.provenance());
                    b.release();
                    direct.release();
                }
                assertTrue(new java.util.HashSet<>(got).size() > 1, "steps differ");
            }
        }
    }
}
