package io.roadneg.datasets.coco;

import io.roadneg.datasets.InputException;
import java.nio.file.Path;

/**
 * What is wrong with one annotation of an instances file, found while streaming it: the caller either reports it and
 * skips the annotation (and usually its image) or turns it into an {@link InputException} with {@link #toException}.
 *
 * @param file the instances JSON
 * @param index the annotation's position in the {@code annotations} array
 * @param annotationId its {@code id}, or -1 when unreadable
 * @param imageId its {@code image_id} when that names a known image, else -1
 * @param field the JSON path of the bad field, e.g. {@code annotations[12].segmentation.counts}
 * @param value the offending value as text (abbreviated), or null
 * @param problem what is wrong, in a few words
 */
public record AnnotationProblem(Path file, int index, long annotationId, long imageId, String field, String value,
        String problem) {

    /** The same problem as an exception for callers whose policy is to stop at the first bad annotation. */
    public InputException toException() {
        return new InputException(file, field, value, problem);
    }

    /** One line: field, value and problem (the file is named once by whoever prints a list of these). */
    public String describe() {
        String v = value == null ? "" : " = " + (value.length() <= 60 ? value : value.substring(0, 57) + "...");
        return field + v + ": " + problem;
    }
}
