package io.roadneg.finetune.data;

import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.pasting.Scene;
import java.util.List;

/**
 * A mixture of negative sources ({@code coco:0.5+ade20k:0.5}): sample {@code g} draws its part by weight from its own
 * stream ({@link #STREAM} of the run seed and {@code g}), then takes that part's negative for {@code g}, so which part
 * a sample uses does not depend on thread count, order or resume.
 */
public final class MixedNegatives implements NegativeSource {
    /** The seed stream of the part draw. */
    public static final String STREAM = "train/negative-part";

    private final List<NegativeSource> parts;
    private final double[] cumulative;

    /** Parts with their shares (summing to one), in order. */
    public MixedNegatives(List<NegativeSource> parts, double[] shares) {
        if (parts.size() != shares.length || parts.isEmpty()) {
            throw new IllegalArgumentException("one share per part needed, found " + parts.size() + " parts and "
                    + shares.length + " shares");
        }
        this.parts = List.copyOf(parts);
        this.cumulative = new double[shares.length];
        double c = 0;
        for (int i = 0; i < shares.length; i++) {
            c += shares[i];
            cumulative[i] = c;
        }
    }

    /** The part sample {@code index} of run {@code runSeed} draws. */
    public int part(long runSeed, long index) {
        double u = Seeds.rng(runSeed, STREAM, index).nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    @Override
    public Negative negative(long runSeed, long index, CityscapesFrame frame, Scene scene) {
        return parts.get(part(runSeed, index)).negative(runSeed, index, frame, scene);
    }

    @Override
    public void close() {
        parts.forEach(NegativeSource::close);
    }
}
