package io.roadneg.datasets.coco;

/** An entry of a COCO {@code categories} array. */
public record CocoCategory(int id, String name, String supercategory) {
}
