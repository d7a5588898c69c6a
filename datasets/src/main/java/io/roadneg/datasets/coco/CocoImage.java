package io.roadneg.datasets.coco;

/** An entry of a COCO {@code images} array. */
public record CocoImage(long id, int width, int height, String fileName) {
}
