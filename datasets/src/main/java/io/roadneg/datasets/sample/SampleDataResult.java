package io.roadneg.datasets.sample;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link SampleData#generate} wrote.
 *
 * @param out the output folder
 * @param roots root folder of each dataset, by name ("cityscapes", "coco", "ade20k", "smiyc-anomaly",
 *     "smiyc-obstacle", "fishyscapes-laf", "fishyscapes-static", "road-anomaly")
 * @param counts frames or images written per dataset and split, e.g. "cityscapes/train" -> 24
 * @param files number of files written in all
 */
public record SampleDataResult(Path out, Map<String, Path> roots, Map<String, Integer> counts, int files) {
    /** Copies the maps (insertion order kept for printing). */
    public SampleDataResult {
        roots = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(roots));
        counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
    }
}
