package io.roadneg.datasets.coco;

import java.util.List;

/** A COCO {@code segmentation} field in one of its three on-disk forms. */
public sealed interface Segmentation {

    /**
     * The mask for an image of {@code height x width}, as pycocotools' {@code annToRLE} gives it: polygons through
     * {@link PolygonRasterizer}, RLE forms as they are.
     *
     * @throws IllegalArgumentException when an RLE's own size is not the image's, or a polygon list is malformed
     */
    Rle toRle(int height, int width);

    /** {@code [[x1,y1,x2,y2,...], ...]}: one or more polygons (iscrowd 0). */
    record Polygons(List<double[]> polygons) implements Segmentation {
        @Override
        public Rle toRle(int height, int width) {
            return PolygonRasterizer.polygons(polygons, height, width);
        }
    }

    /** {@code {"size":[h,w],"counts":[...]}} with an integer list. */
    record UncompressedRle(Rle rle) implements Segmentation {
        @Override
        public Rle toRle(int height, int width) {
            return checkSize(rle, height, width);
        }
    }

    /** {@code {"size":[h,w],"counts":"..."}} with the pycocotools string. */
    record CompressedRle(Rle rle) implements Segmentation {
        @Override
        public Rle toRle(int height, int width) {
            return checkSize(rle, height, width);
        }
    }

    private static Rle checkSize(Rle rle, int height, int width) {
        if (rle.height() != height || rle.width() != width) {
            throw new IllegalArgumentException("RLE size [" + rle.height() + ", " + rle.width()
                    + "] differs from the image size [" + height + ", " + width + "]");
        }
        return rle;
    }
}
