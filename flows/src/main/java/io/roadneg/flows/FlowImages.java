package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import io.roadneg.datasets.image.PngEncoder;
import io.roadneg.datasets.image.RgbImage;
import java.util.List;
import java.util.Map;

/** Between images and the flow's arrays: crops in, samples out, sample grids, and PNG's own size of a crop. */
public final class FlowImages {
    private FlowImages() {
    }

    /** The {@code size} x {@code size} crop of {@code img} at (x, y), as C x H x W values 0..255 appended to {@code out}. */
    public static void appendCrop(RgbImage img, int x, int y, int size, float[] out, int offset) {
        byte[] d = img.data();
        int plane = size * size;
        for (int r = 0; r < size; r++) {
            int src = ((y + r) * img.width() + x) * 3;
            for (int c = 0; c < size; c++) {
                int o = offset + r * size + c;
                out[o] = d[src] & 0xff;
                out[o + plane] = d[src + 1] & 0xff;
                out[o + 2 * plane] = d[src + 2] & 0xff;
                src += 3;
            }
        }
    }

    /** The {@code size} x {@code size} crop of {@code img} at (x, y) as an image. */
    public static RgbImage crop(RgbImage img, int x, int y, int size) {
        byte[] out = new byte[size * size * 3];
        for (int r = 0; r < size; r++) {
            System.arraycopy(img.data(), ((y + r) * img.width() + x) * 3, out, r * size * 3, size * 3);
        }
        return new RgbImage(size, size, out);
    }

    /** Items of an N x 3 x H x W array of values 0..255 (clamped, rounded) as images. */
    public static List<RgbImage> images(NDArray batch) {
        long[] s = batch.getShape().getShape();
        int n = (int) s[0];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] v = batch.toFloatArray();
        RgbImage[] out = new RgbImage[n];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[plane * 3];
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    d[p * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v[base + c * plane + p])));
                }
            }
            out[i] = new RgbImage(w, h, d);
        }
        return List.of(out);
    }

    /** Tiles of one size in rows of {@code columns}, separated by {@code gap} black pixels. */
    public static RgbImage grid(List<RgbImage> tiles, int columns, int gap) {
        int tw = tiles.get(0).width();
        int th = tiles.get(0).height();
        int cols = Math.min(columns, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        RgbImage g = RgbImage.blank(cols * tw + (cols - 1) * gap, rows * th + (rows - 1) * gap);
        for (int i = 0; i < tiles.size(); i++) {
            RgbImage t = tiles.get(i);
            int ox = (i % cols) * (tw + gap);
            int oy = (i / cols) * (th + gap);
            for (int r = 0; r < th; r++) {
                System.arraycopy(t.data(), r * tw * 3, g.data(), ((oy + r) * g.width() + ox) * 3, tw * 3);
            }
        }
        return g;
    }

    /**
     * PNG's own size of an image in bits per sub-pixel: the whole file (signature, chunks, zlib stream) at
     * compression level 9, the smallest of the encoder's scanline filters (none, sub, up).
     */
    public static long pngBytes(RgbImage img) {
        long best = Long.MAX_VALUE;
        for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
            best = Math.min(best, PngEncoder.rgb(img.width(), img.height(), img.data(), 9, f, Map.of()).length);
        }
        return best;
    }
}
