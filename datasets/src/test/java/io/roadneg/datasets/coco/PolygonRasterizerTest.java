package io.roadneg.datasets.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.image.OpenCv;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class PolygonRasterizerTest {

    private static byte[] rect(int h, int w, int x0, int y0, int x1, int y1) {
        byte[] m = new byte[h * w];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * w + x] = 1;
            }
        }
        return m;
    }

    @Test
    void integerSquareCoversExactlyThePixelsInside() {
        // pycocotools gives area 100 for this 10x10 square: scaled by 5 the top edge runs u = 10..60; an x-change is
        // kept where (u - 1 + .5) / 5 - .5 is a whole number, i.e. columns 2..11; top y = ceil(15.5/5 - .5) = 3,
        // bottom y = ceil(65.5/5 - .5) = 13, so each column toggles at rows 3 and 13: pixels y 3..12.
        Rle r = PolygonRasterizer.polygon(new double[] {2, 3, 12, 3, 12, 13, 2, 13}, 20, 20);
        assertEquals(100, r.area());
        assertArrayEquals(rect(20, 20, 2, 3, 12, 13), r.toRowMajor());
        assertArrayEquals(new double[] {2, 3, 10, 10}, r.bbox());
    }

    @Test
    void halfPixelRectangleKeepsThePixelsWhoseCentresAreInside() {
        // corners at .5: scaled 3..23 in x and 3..13 in y; kept columns are 1..4, rows ceil(0.2)=1 to ceil(2.2)=3
        // (exclusive), so area 8 = the exact area 4 x 2, pixels x 1..4, y 1..2 (centres x+.5 inside the box).
        Rle r = PolygonRasterizer.polygon(new double[] {0.5, 0.5, 4.5, 0.5, 4.5, 2.5, 0.5, 2.5}, 6, 7);
        assertEquals(8, r.area());
        assertArrayEquals(rect(6, 7, 1, 1, 5, 3), r.toRowMajor());
    }

    @Test
    void vertexOrderAndDirectionDoNotMatter() {
        double[] cw = {1.3, 2.7, 9.1, 1.2, 8.4, 7.9, 2.2, 6.6};
        double[] ccw = {2.2, 6.6, 8.4, 7.9, 9.1, 1.2, 1.3, 2.7};
        assertEquals(PolygonRasterizer.polygon(cw, 10, 12), PolygonRasterizer.polygon(ccw, 10, 12));
    }

    @Test
    void polygonOutsideTheImageIsClippedNotWrapped() {
        Rle r = PolygonRasterizer.polygon(new double[] {-5, -5, 5, -5, 5, 5, -5, 5}, 8, 8);
        assertArrayEquals(rect(8, 8, 0, 0, 5, 5), r.toRowMajor());
    }

    @Test
    void boxIsThePolygonOfItsCornersAndFourValueListsAreBoxes() {
        Rle box = PolygonRasterizer.box(new double[] {2, 3, 10, 10}, 20, 20);
        assertArrayEquals(rect(20, 20, 2, 3, 12, 13), box.toRowMajor());
        // pycocotools' frPyObjects reads a list whose first entry has 4 values as boxes [x, y, w, h]
        Rle viaList = PolygonRasterizer.polygons(List.of(new double[] {2, 3, 10, 10}), 20, 20);
        assertEquals(box, viaList);
    }

    @Test
    void severalPolygonsAreUnited() {
        Rle r = PolygonRasterizer.polygons(List.of(new double[] {0, 0, 4, 0, 4, 4, 0, 4},
                new double[] {2, 2, 8, 2, 8, 6, 2, 6}), 10, 10);
        byte[] a = rect(10, 10, 0, 0, 4, 4);
        byte[] b = rect(10, 10, 2, 2, 8, 6);
        for (int i = 0; i < a.length; i++) {
            a[i] |= b[i];
        }
        assertArrayEquals(a, r.toRowMajor());
        assertEquals(16 + 24 - 4, r.area());
    }

    @Test
    void badPolygonListsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> PolygonRasterizer.polygon(new double[] {1, 2, 3, 4, 5, 6, 7}, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> PolygonRasterizer.check(List.of()));
        assertThrows(IllegalArgumentException.class, () -> PolygonRasterizer.check(List.of(new double[] {1, 2})));
        assertThrows(IllegalArgumentException.class,
                () -> PolygonRasterizer.check(List.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4, 5, 6})));
    }

    @Test
    void randomPolygonsAgreeWithOpenCvFillPolyAndTheShoelaceArea() {
        OpenCv.ensureLoaded();
        Random rnd = new Random(11);
        // fillPoly also fills every pixel the outline touches (about half a pixel more along the whole border), so
        // the IoU bound is only meaningful for objects of real-image size, not for thumbnails
        int h = 480;
        int w = 520;
        double worstIou = 1;
        double worstAreaRatio = 0;
        double worstCentreDiff = 0;
        for (int t = 0; t < 100; t++) {
            int k = 3 + rnd.nextInt(10);
            double cx = 230 + rnd.nextDouble() * 60;
            double cy = 210 + rnd.nextDouble() * 60;
            double radius = 100 + rnd.nextDouble() * 100;
            // jittered even angles: compact shapes, the "reasonable size" the 0.97 bound is meant for
            double[] angles = new double[k];
            for (int j = 0; j < k; j++) {
                angles[j] = 2 * Math.PI * (j + 0.8 * rnd.nextDouble()) / k;
            }
            double[] xy = new double[2 * k];
            for (int j = 0; j < k; j++) {
                double r = radius * (0.75 + 0.25 * rnd.nextDouble());
                xy[2 * j] = cx + r * Math.cos(angles[j]);
                xy[2 * j + 1] = cy + r * Math.sin(angles[j]);
            }
            Rle ours = PolygonRasterizer.polygon(xy, h, w);
            byte[] cv = fillPoly(xy, h, w);
            byte[] mine = ours.toRowMajor();
            long inter = 0;
            long union = 0;
            for (int i = 0; i < mine.length; i++) {
                inter += (mine[i] & cv[i]);
                union += (mine[i] | cv[i]);
            }
            double shoelace = shoelace(xy);
            byte[] centres = centreSampled(xy, h, w);
            long diff = 0;
            for (int i = 0; i < mine.length; i++) {
                diff += mine[i] != centres[i] ? 1 : 0;
            }
            worstCentreDiff = Math.max(worstCentreDiff, (double) diff / Math.max(1, ours.area()));
            worstIou = Math.min(worstIou, (double) inter / union);
            worstAreaRatio = Math.max(worstAreaRatio, Math.abs(ours.area() - shoelace) / shoelace);
        }
        System.out.println("polygon rasteriser: worst IoU vs fillPoly " + worstIou + ", vs centre sampling "
                + worstCentreDiff + ", worst |area - shoelace| / shoelace " + worstAreaRatio);
        assertTrue(worstIou >= 0.97, "worst IoU vs fillPoly " + worstIou);
        // the 1/5-pixel grid makes pycocotools differ from exact centre sampling only on pixels the outline grazes
        assertTrue(worstCentreDiff <= 0.01, "worst pixel difference vs centre sampling " + worstCentreDiff);
        assertTrue(worstAreaRatio <= 0.01, "worst relative area difference vs shoelace " + worstAreaRatio);
    }

    /** OpenCV puts pixel centres at integers, COCO at integer + .5: shift by half a pixel, subpixel via shift=8. */
    private static byte[] fillPoly(double[] xy, int h, int w) {
        Point[] pts = new Point[xy.length / 2];
        for (int j = 0; j < pts.length; j++) {
            pts[j] = new Point(Math.round((xy[2 * j] - 0.5) * 256), Math.round((xy[2 * j + 1] - 0.5) * 256));
        }
        Mat m = Mat.zeros(h, w, CvType.CV_8UC1);
        Imgproc.fillPoly(m, List.of(new MatOfPoint(pts)), new Scalar(1), Imgproc.LINE_8, 8);
        byte[] out = new byte[h * w];
        m.get(0, 0, out);
        m.release();
        return out;
    }

    /** Even-odd test of every pixel centre (x + .5, y + .5): the continuous ideal pycocotools approximates. */
    private static byte[] centreSampled(double[] xy, int h, int w) {
        byte[] out = new byte[h * w];
        int k = xy.length / 2;
        for (int y = 0; y < h; y++) {
            double py = y + 0.5;
            for (int x = 0; x < w; x++) {
                double px = x + 0.5;
                boolean in = false;
                for (int j = 0, i = k - 1; j < k; i = j++) {
                    double xi = xy[2 * i];
                    double yi = xy[2 * i + 1];
                    double xj = xy[2 * j];
                    double yj = xy[2 * j + 1];
                    if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) {
                        in = !in;
                    }
                }
                out[y * w + x] = (byte) (in ? 1 : 0);
            }
        }
        return out;
    }

    private static double shoelace(double[] xy) {
        double s = 0;
        int k = xy.length / 2;
        for (int j = 0; j < k; j++) {
            int n = (j + 1) % k;
            s += xy[2 * j] * xy[2 * n + 1] - xy[2 * n] * xy[2 * j + 1];
        }
        return Math.abs(s) / 2;
    }
}
