package io.roadneg.datasets.image;

/**
 * Reads the width and height an image file declares, from its header bytes only (PNG IHDR, JPEG start-of-frame,
 * WebP VP8 / VP8L / VP8X), so that a size can be checked before a decoder allocates for it.
 */
public final class ImageHeaders {
    private ImageHeaders() {
    }

    /** {width, height} as declared, or null when the bytes hold no header this class reads. */
    public static long[] declaredSize(byte[] b) {
        return switch (ImageFormat.sniff(b)) {
            case PNG -> png(b);
            case JPEG -> jpeg(b);
            case WEBP -> webp(b);
            default -> null;
        };
    }

    private static long[] png(byte[] b) {
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            return null;
        }
        // PNG sizes are unsigned 31-bit; a set top bit reads as negative and is refused as an empty image
        return new long[] {PngHeader.readInt(b, 16), PngHeader.readInt(b, 20)};
    }

    private static long[] jpeg(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // no length field
                continue;
            }
            int len = (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 9 > b.length) {
                    return null;
                }
                long h = (b[i + 5] & 0xff) << 8 | (b[i + 6] & 0xff);
                long w = (b[i + 7] & 0xff) << 8 | (b[i + 8] & 0xff);
                return new long[] {w, h};
            }
            if (marker == 0xDA || len < 2) {
                return null; // scan data before any frame header: let the decoder report it
            }
            i += 2 + len;
        }
        return null;
    }

    private static long[] webp(byte[] b) {
        if (b.length < 30) {
            return null;
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        switch (chunk) {
            case "VP8X" -> {
                return new long[] {1 + le24(b, 24), 1 + le24(b, 27)};
            }
            case "VP8L" -> {
                long bits = (b[21] & 0xffL) | (b[22] & 0xffL) << 8 | (b[23] & 0xffL) << 16 | (b[24] & 0xffL) << 24;
                return new long[] {1 + (bits & 0x3FFF), 1 + ((bits >>> 14) & 0x3FFF)};
            }
            case "VP8 " -> {
                return new long[] {le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF};
            }
            default -> {
                return null;
            }
        }
    }

    private static long le16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static long le24(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (long) (b[off + 2] & 0xff) << 16;
    }
}
