package io.roadneg.datasets.image;

/** Container formats recognised from a file's first bytes (never from its name). */
public enum ImageFormat {
    PNG, JPEG, WEBP, UNKNOWN;

    /** Detects the format from the leading magic bytes. */
    public static ImageFormat sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return PNG;
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return JPEG;
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return WEBP;
        }
        return UNKNOWN;
    }
}
