package io.roadneg.finetune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.loss.Targets;
import java.util.function.Supplier;

/**
 * A batch on the step's device: its 8-bit pixels and labels are copied there once each (from the batch's direct
 * buffers), then normalised and turned into targets by device operations; nothing comes back to the host.
 *
 * @param images normalised images (N + R) x 3 x H x W, float32
 * @param targets the loss targets
 */
public record StepInputs(NDArray images, Targets targets) {

    /**
     * Moves {@code b} into {@code m} (whose device the step runs on). The batch's buffers must stay untouched until
     * {@code m} is closed: on the CPU the engine may read them in place.
     */
    public static StepInputs of(NDManager m, Batch b, Normalization norm, int numClasses, long seed) {
        int h = b.height();
        int w = b.width();
        NDArray pixels = m.create(b.pixels().duplicate().position(0), new Shape(b.total(), 3, h, w), DataType.UINT8);
        NDArray labels = m.create(b.labels().duplicate().position(0), new Shape(b.total(), h, w), DataType.UINT8);
        Supplier<int[]> host = new Supplier<>() {
            private int[] values;

            @Override
            public int[] get() {
                if (values == null) {
                    values = b.labelValues();
                }
                return values;
            }
        };
        return new StepInputs(norm.onDevice(pixels), Targets.onDevice(labels, b.n(), b.raw(), numClasses, seed,
                b.outlierPixels(), host));
    }
}
