package io.roadneg.datasets.coco;

import java.util.List;

/** A COCO {@code segmentation} field in one of its three on-disk forms. */
public sealed interface Segmentation {

    /** {@code [[x1,y1,x2,y2,...], ...]}: one or more polygons (iscrowd 0). */
    record Polygons(List<double[]> polygons) implements Segmentation {
    }

    /** {@code {"size":[h,w],"counts":[...]}} with an integer list. */
    record UncompressedRle(Rle rle) implements Segmentation {
    }

    /** {@code {"size":[h,w],"counts":"..."}} with the pycocotools string. */
    record CompressedRle(Rle rle) implements Segmentation {
    }
}
