package io.roadneg.pasting;

import io.roadneg.datasets.image.LabelMap;
import java.util.Arrays;
import java.util.Random;

/**
 * The drivable area of a destination and a flat-ground perspective model fitted to it.
 *
 * <p>On a flat road seen by a level pinhole camera, anything standing on the road at image row {@code y} appears
 * {@code (y - horizon)} times (its height / the camera's height) pixels tall, and the road's width in pixels grows
 * linearly with {@code (y - horizon)} as well. The horizon is therefore where a least-squares line through
 * (row, road pixels in that row) crosses zero; objects are then scaled by their contact row.
 */
public final class RoadGeometry {
    /** Fewest rows with the road fully inside the image for the fit to use only those. */
    static final int MIN_FIT_ROWS = 5;

    private final int width;
    private final int[] roadPixels; // row-major indices, ascending
    private final double horizon;

    private RoadGeometry(int width, int[] roadPixels, double horizon) {
        this.width = width;
        this.roadPixels = roadPixels;
        this.horizon = horizon;
    }

    /**
     * Fits the model to the pixels whose trainId is in {@code roadTrainIds}.
     *
     * @throws NoRoadException when there is no such pixel
     */
    public static RoadGeometry fit(LabelMap trainIds, int[] roadTrainIds) {
        boolean[] isRoad = new boolean[256];
        for (int id : roadTrainIds) {
            isRoad[id] = true;
        }
        int w = trainIds.width();
        int h = trainIds.height();
        byte[] bytes = trainIds.bytes(); // read as they are stored: a map of bytes is not widened here
        int[] data = bytes == null ? trainIds.data() : null;
        int[] perRow = new int[h];
        boolean[] clipped = new boolean[h];
        int n = 0;
        // row by row: no division or remainder a pixel (the row and column of each road pixel)
        for (int y = 0, i = 0; y < h; y++, i += w) {
            int c = 0;
            for (int x = 0; x < w; x++) {
                if (isRoad(bytes, data, i + x, isRoad)) {
                    c++;
                }
            }
            perRow[y] = c;
            n += c;
            clipped[y] = c > 0 && (isRoad(bytes, data, i, isRoad) || isRoad(bytes, data, i + w - 1, isRoad));
        }
        if (n == 0) {
            throw new NoRoadException("no road pixels (trainIds " + Arrays.toString(roadTrainIds) + ")");
        }
        int[] pix = new int[n];
        int k = 0;
        for (int y = 0, i = 0; y < h; y++, i += w) {
            if (perRow[y] == 0) {
                continue;
            }
            for (int x = 0; x < w; x++) {
                if (isRoad(bytes, data, i + x, isRoad)) {
                    pix[k++] = i + x;
                }
            }
        }
        // rows where the road runs out of the image are narrower than the road: fit on the others when there are enough
        int[] fitRows = perRow.clone();
        int unclipped = 0;
        for (int y = 0; y < h; y++) {
            if (perRow[y] > 0 && !clipped[y]) {
                unclipped++;
            }
        }
        if (unclipped >= MIN_FIT_ROWS) {
            for (int y = 0; y < h; y++) {
                if (clipped[y]) {
                    fitRows[y] = 0;
                }
            }
        }
        return new RoadGeometry(w, pix, fitHorizon(fitRows));
    }

    /** Whether pixel {@code i} (of the map's bytes, or else its ints) is a road class. */
    private static boolean isRoad(byte[] bytes, int[] data, int i, boolean[] isRoad) {
        int v = bytes != null ? bytes[i] & 0xff : data[i];
        return v >= 0 && v < 256 && isRoad[v];
    }

    /** Least-squares line count = a * row + b over rows with road; horizon = -b / a, or the top road row. */
    static double fitHorizon(int[] perRow) {
        double sw = 0;
        double sy = 0;
        double sc = 0;
        double syy = 0;
        double syc = 0;
        int top = -1;
        for (int y = 0; y < perRow.length; y++) {
            if (perRow[y] > 0) {
                if (top < 0) {
                    top = y;
                }
                double c = perRow[y];
                sw += 1;
                sy += y;
                sc += c;
                syy += (double) y * y;
                syc += y * c;
            }
        }
        double det = sw * syy - sy * sy;
        if (sw >= 2 && det > 0) {
            double a = (sw * syc - sy * sc) / det;
            double b = (sc - a * sy) / sw;
            if (a > 1e-9) {
                double hz = -b / a;
                if (hz < top) {
                    return hz;
                }
            }
        }
        return top - 1;
    }

    /** The fitted horizon row (may be negative or fractional). */
    public double horizon() {
        return horizon;
    }

    /** Number of road pixels. */
    public int roadPixelCount() {
        return roadPixels.length;
    }

    /** A road pixel drawn uniformly: {@code [x, y]}. */
    public int[] samplePoint(Random rng) {
        int i = roadPixels[rng.nextInt(roadPixels.length)];
        return new int[] {i % width, i / width};
    }

    /**
     * Pixel height of an object standing on the road at {@code row} whose real height is {@code heightRatio} times
     * the camera's height; at least 1.
     */
    public double objectHeightAt(int row, double heightRatio) {
        return Math.max(1.0, (row - horizon) * heightRatio);
    }

    /** Thrown when a road placement is asked of a destination without road pixels. */
    public static final class NoRoadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoRoadException(String message) {
            super(message);
        }
    }
}
