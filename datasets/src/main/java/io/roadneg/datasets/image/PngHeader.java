package io.roadneg.datasets.image;

import io.roadneg.datasets.InputException;
import java.nio.file.Path;

/**
 * The IHDR fields of a PNG, read from the raw bytes: enough to pick an exact decoder for a label map.
 *
 * @param width image width
 * @param height image height
 * @param bitDepth bits per sample (1, 2, 4, 8, 16)
 * @param colorType 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
 */
public record PngHeader(int width, int height, int bitDepth, int colorType) {
    public static final int GRAY = 0;
    public static final int RGB = 2;
    public static final int PALETTE = 3;
    public static final int GRAY_ALPHA = 4;
    public static final int RGBA = 6;

    /** Parses the IHDR chunk that must follow the PNG signature. */
    public static PngHeader parse(byte[] b, Path file) {
        if (b.length < 33 || ImageFormat.sniff(b) != ImageFormat.PNG || b[12] != 'I' || b[13] != 'H' || b[14] != 'D'
                || b[15] != 'R') {
            throw new InputException(file, null, null, "not a PNG file (bad signature or IHDR)");
        }
        int w = readInt(b, 16);
        int h = readInt(b, 20);
        return new PngHeader(w, h, b[24] & 0xff, b[25] & 0xff);
    }

    static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    /** True when the PNG stores one integer sample per pixel (gray or palette, no alpha). */
    public boolean singleChannel() {
        return colorType == GRAY || colorType == PALETTE;
    }
}
