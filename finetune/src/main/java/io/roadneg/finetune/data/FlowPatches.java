package io.roadneg.finetune.data;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.finetune.train.TrainConfig.FlowNegativesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Where the flow's squares go in the training crops (the plan; the training loop decodes and pastes them). A
 * sample's square is drawn from the stream {@link Seeds#TRAIN_FLOW_PATCH} of (run seed, sample index): its side
 * uniformly among the sides the flow can decode in the configured range scaled to the frame's width, then its
 * top-left corner uniformly inside the crop.
 */
public final class FlowPatches {
    /**
     * One square: side, top-left corner in the crop, and the inlier pixels it covers (3 x side x side, values 0..255,
     * channel-major) for the flow's likelihood term.
     */
    public record Patch(int side, int x, int y, float[] inlier) {
    }

    private final int minSide;
    private final int maxSide;
    private final int step;
    private final int referenceWidth;
    private final IntPredicate decodable;
    private final int cropH;
    private final int cropW;

    /**
     * @param decodable whether the flow decodes a square of this side
     */
    public FlowPatches(FlowNegativesConfig c, IntPredicate decodable, int cropH, int cropW) {
        this.minSide = c.sides().get(0);
        this.maxSide = c.sides().get(1);
        this.step = c.sideStep();
        this.referenceWidth = c.referenceWidth();
        this.decodable = decodable;
        this.cropH = cropH;
        this.cropW = cropW;
        if (smallestDecodable() < 0) {
            throw new InputException(null, "data.crop", List.of(cropH, cropW), "no square side the flow can decode "
                    + "fits this crop");
        }
    }

    private int smallestDecodable() {
        for (int s = 1; s <= Math.min(cropH, cropW); s++) {
            if (decodable.test(s)) {
                return s;
            }
        }
        return -1;
    }

    /**
     * The sides a frame {@code frameWidth} wide draws from: those between min and max side times frameWidth /
     * referenceWidth, on the step's grid (scaled likewise), that the flow can decode and the crop holds; when none, the smallest decodable side
     * at or above the scaled minimum (else the smallest decodable one).
     */
    public int[] sides(int frameWidth) {
        double f = referenceWidth == 0 ? 1.0 : (double) frameWidth / referenceWidth;
        double lo = minSide * f;
        double hi = maxSide * f;
        int limit = Math.min(cropH, cropW);
        List<Integer> out = new ArrayList<>();
        int grid = Math.max(1, (int) Math.round(step * f));
        for (int s = 1; s <= limit; s++) {
            if (s >= lo - 1e-9 && s <= hi + 1e-9 && s % grid == 0 && decodable.test(s)) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            for (int s = (int) Math.ceil(lo); s <= limit; s++) {
                if (decodable.test(s)) {
                    out.add(s);
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            out.add(smallestDecodable());
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Draws sample {@code g}'s square in its crop and labels its pixels as negatives in {@code labels} (the crop's
     * H x W train ids, changed in place).
     */
    public Patch draw(long runSeed, long g, int frameWidth, RgbImage crop, int[] labels) {
        Random rng = Seeds.rng(runSeed, Seeds.TRAIN_FLOW_PATCH, g);
        int[] sides = sides(frameWidth);
        int side = sides[rng.nextInt(sides.length)];
        int x = rng.nextInt(cropW - side + 1);
        int y = rng.nextInt(cropH - side + 1);
        float[] inlier = new float[3 * side * side];
        byte[] d = crop.data();
        int w = crop.width();
        for (int r = 0; r < side; r++) {
            for (int q = 0; q < side; q++) {
                int src = (y + r) * w + x + q;
                for (int c = 0; c < 3; c++) {
                    inlier[c * side * side + r * side + q] = d[src * 3 + c] & 0xff;
                }
                labels[src] = LabelValues.PASTED_OUTLIER;
            }
        }
        return new Patch(side, x, y, inlier);
    }
}
