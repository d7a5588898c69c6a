package io.roadneg.datasets.coco;

/**
 * Where an annotation lies in its instances file, so a caller can index a huge file in one streaming pass and re-read
 * single annotations later instead of holding them all.
 *
 * @param index position in the {@code annotations} array
 * @param offset byte offset of the annotation's opening brace
 * @param length its length in bytes
 */
public record AnnotationSpan(int index, long offset, int length) {
}
