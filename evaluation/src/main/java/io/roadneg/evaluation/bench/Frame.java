package io.roadneg.evaluation.bench;

import java.nio.file.Path;

/**
 * One benchmark frame: its id (the name score files use), image and label files.
 *
 * @param id frame id, e.g. {@code validation0000}
 * @param image the RGB image
 * @param label the label file in the benchmark's own values
 */
public record Frame(String id, Path image, Path label) {
}
