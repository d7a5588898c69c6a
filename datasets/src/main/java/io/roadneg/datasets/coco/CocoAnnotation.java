package io.roadneg.datasets.coco;

/**
 * An entry of a COCO instances {@code annotations} array. {@code score} is NaN unless the file is a results file or
 * was written by a box-prompted segmenter.
 */
public record CocoAnnotation(long id, long imageId, int categoryId, Segmentation segmentation, double area,
        double[] bbox, boolean iscrowd, double score) {
}
