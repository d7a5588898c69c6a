package io.roadneg.datasets.sample;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link SampleData#generate} makes and where.
 *
 * @param out folder that receives {@code cityscapes/}, {@code coco/}, {@code ade20k/}, the benchmark folders and
 *     {@code README.md}
 * @param seed run seed; every frame's seed derives from it and the frame's index
 * @param scale how much to make
 */
public record SampleDataOptions(Path out, long seed, SampleScale scale) {
    /** Rejects a missing folder or scale. */
    public SampleDataOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(scale, "scale");
    }

    /** Small scale with the given seed. */
    public static SampleDataOptions small(Path out, long seed) {
        return new SampleDataOptions(out, seed, SampleScale.SMALL);
    }
}
