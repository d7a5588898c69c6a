package io.roadneg.datasets.ade20k;

import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes the colour-coded {@code X_seg.png} of the full ADE20K release: class = (R / 10) * 256 + G (integer
 * division), and instances are the distinct B values, numbered 0, 1, 2... in increasing B order (as the official
 * loader's {@code np.unique(B, return_inverse=True)} does).
 *
 * @param classes class index per pixel (0 = unlabelled)
 * @param instances instance number per pixel
 */
public record Ade20kFullSeg(LabelMap classes, LabelMap instances) {

    /** Reads and decodes a {@code _seg.png}. */
    public static Ade20kFullSeg read(Path segPng) {
        return decode(Images.readPackedRgb(segPng));
    }

    /** Decodes a packed 0xRRGGBB map. */
    public static Ade20kFullSeg decode(LabelMap packedRgb) {
        int[] d = packedRgb.data();
        int[] cls = new int[d.length];
        boolean[] seen = new boolean[256];
        for (int i = 0; i < d.length; i++) {
            int r = d[i] >>> 16 & 0xff;
            int g = d[i] >>> 8 & 0xff;
            cls[i] = (r / 10) * 256 + g;
            seen[d[i] & 0xff] = true;
        }
        int[] rank = new int[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            rank[b] = seen[b] ? n++ : -1;
        }
        int[] inst = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            inst[i] = rank[d[i] & 0xff];
        }
        return new Ade20kFullSeg(new LabelMap(packedRgb.width(), packedRgb.height(), cls),
                new LabelMap(packedRgb.width(), packedRgb.height(), inst));
    }

    /** Number of distinct instance values (including the background's). */
    public int instanceCount() {
        return Arrays.stream(instances.data()).max().orElse(-1) + 1;
    }
}
