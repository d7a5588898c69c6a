package io.roadneg.datasets.image;

import io.roadneg.datasets.InputException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A PNG decoder for the kinds this project writes and reads most: 8-bit RGB and 8- or 16-bit gray, not interlaced.
 * The zlib stream is inflated by the JDK's {@link Inflater} (the system zlib) one scanline at a time, straight into
 * the result (RGB) or a two-row window (gray), and unfiltered in place, so a decode makes no copy of the image
 * beyond its result. Other kinds (palette, alpha, interlaced, other depths, a {@code tRNS} chunk) are left to
 * {@link Images}' general decoders: {@link #supports} says which.
 *
 * <p>The file is checked as it is read: chunk lengths inside the file, the CRC of IHDR and of every IDAT, the filter
 * type of each row, and a zlib stream that holds at least the image's bytes (data after the last row is ignored, as
 * libpng does). Any failure is an {@link InputException}
 * naming the file.
 */
final class PngDecoder {
    private static final int IHDR_END = 33;

    /** Per-thread inflater and row buffers, reused. */
    private static final class Work {
        final Inflater inflater = new Inflater();
        final CRC32 crc = new CRC32();
        byte[] rows = new byte[0];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private PngDecoder() {
    }

    /** True when this decoder reads the file: 8-bit RGB or 8/16-bit gray, not interlaced, no tRNS chunk. */
    static boolean supports(byte[] png, PngHeader h) {
        boolean kind = h.colorType() == PngHeader.RGB && h.bitDepth() == 8
                || h.colorType() == PngHeader.GRAY && (h.bitDepth() == 8 || h.bitDepth() == 16);
        if (!kind || png.length < IHDR_END || PngHeader.readInt(png, 8) != 13 || png[26] != 0 || png[27] != 0 || png[28] != 0) {
            return false;
        }
        // a tRNS chunk comes before the first IDAT
        for (int at = IHDR_END; at + 8 <= png.length; ) {
            long len = PngHeader.readInt(png, at) & 0xffffffffL;
            if (is(png, at + 4, "IDAT")) {
                return true;
            }
            if (is(png, at + 4, "tRNS")) {
                return false;
            }
            at += (int) Math.min(Integer.MAX_VALUE - 16, len + 12);
        }
        return true;
    }

    /** Decodes an 8-bit RGB PNG to interleaved RGB bytes, into {@code into} when it has exactly their size. */
    static RgbImage rgb(byte[] png, PngHeader h, Path file, byte[] into) {
        int stride = h.width() * 3;
        byte[] out = into != null && into.length == stride * h.height() ? into : new byte[stride * h.height()];
        Work w = WORK.get();
        Inflating in = new Inflating(w, png, file);
        byte[] filter = new byte[1];
        for (int y = 0; y < h.height(); y++) {
            in.read(filter, 0, 1);
            int row = y * stride;
            in.read(out, row, stride);
            unfilter(filter[0], out, row, y == 0 ? -1 : row - stride, stride, 3, file);
        }
        return new RgbImage(h.width(), h.height(), out);
    }

    /**
     * Decodes an 8- or 16-bit gray PNG to a label map (unsigned values), into {@code into} when it has exactly the
     * map's size.
     */
    static LabelMap gray(byte[] png, PngHeader h, Path file, int[] into) {
        int bpp = h.bitDepth() / 8;
        int width = h.width();
        int stride = width * bpp;
        int n = width * h.height();
        int[] out = into != null && into.length == n ? into : new int[n];
        Work w = WORK.get();
        if (w.rows.length < 2 * (stride + 1)) {
            w.rows = new byte[2 * (stride + 1)];
        }
        byte[] rows = w.rows;
        Inflating in = new Inflating(w, png, file);
        int cur = 0;
        int prev = -1;
        for (int y = 0; y < h.height(); y++) {
            in.read(rows, cur, stride + 1);
            unfilter(rows[cur], rows, cur + 1, prev < 0 ? -1 : prev + 1, stride, bpp, file);
            int o = y * width;
            int r = cur + 1;
            if (bpp == 1) {
                for (int x = 0; x < width; x++) {
                    out[o + x] = rows[r + x] & 0xff;
                }
            } else {
                for (int x = 0; x < width; x++) {
                    out[o + x] = (rows[r + 2 * x] & 0xff) << 8 | (rows[r + 2 * x + 1] & 0xff);
                }
            }
            prev = cur;
            cur = cur == 0 ? stride + 1 : 0;
        }
        return new LabelMap(width, h.height(), out);
    }

    /** Reverses one row's PNG filter in place; {@code prev} is the previous row's offset, or -1 for the first row. */
    private static void unfilter(byte type, byte[] b, int row, int prev, int stride, int bpp, Path file) {
        switch (type) {
            case 0 -> {
            }
            case 1 -> {
                for (int i = bpp; i < stride; i++) {
                    b[row + i] += b[row + i - bpp];
                }
            }
            case 2 -> {
                if (prev >= 0) {
                    for (int i = 0; i < stride; i++) {
                        b[row + i] += b[prev + i];
                    }
                }
            }
            case 3 -> {
                for (int i = 0; i < stride; i++) {
                    int left = i >= bpp ? b[row + i - bpp] & 0xff : 0;
                    int up = prev >= 0 ? b[prev + i] & 0xff : 0;
                    b[row + i] += (byte) ((left + up) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 0; i < stride; i++) {
                    int a = i >= bpp ? b[row + i - bpp] & 0xff : 0;
                    int up = prev >= 0 ? b[prev + i] & 0xff : 0;
                    int c = i >= bpp && prev >= 0 ? b[prev + i - bpp] & 0xff : 0;
                    int p = a + up - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - up);
                    int pc = Math.abs(p - c);
                    int pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
                    b[row + i] += (byte) pred;
                }
            }
            default -> throw new InputException(file, "filter", type & 0xff,
                    "unknown PNG row filter (corrupt file)");
        }
    }

    private static boolean is(byte[] b, int at, String type) {
        return at + 4 <= b.length && b[at] == type.charAt(0) && b[at + 1] == type.charAt(1)
                && b[at + 2] == type.charAt(2) && b[at + 3] == type.charAt(3);
    }

    /** The concatenated IDAT data of one file, inflated on demand. */
    private static final class Inflating {
        private final Inflater inf;
        private final CRC32 crc;
        private final byte[] png;
        private final Path file;
        private int next;

        Inflating(Work w, byte[] png, Path file) {
            this.inf = w.inflater;
            this.crc = w.crc;
            this.png = png;
            this.file = file;
            inf.reset();
            checkCrc(8);
            next = IHDR_END;
        }

        /** Fills {@code b[off, off + len)} with the next inflated bytes. */
        void read(byte[] b, int off, int len) {
            try {
                while (len > 0) {
                    int n = inf.inflate(b, off, len);
                    off += n;
                    len -= n;
                    if (n == 0 && len > 0) {
                        if (inf.finished()) {
                            throw new InputException(file, null, null,
                                    "PNG image data ends before the last row (corrupt file)");
                        }
                        if (inf.needsDictionary()) {
                            throw new InputException(file, null, null, "PNG image data needs a zlib dictionary");
                        }
                        if (inf.needsInput()) {
                            nextIdat();
                        }
                    }
                }
            } catch (DataFormatException e) {
                throw new InputException(file, null, null, "corrupt PNG image data: " + e.getMessage());
            }
        }

        private void nextIdat() {
            if (!nextIdatOrEnd()) {
                throw new InputException(file, null, null, "truncated PNG (image data ends early)");
            }
        }

        /** Feeds the next IDAT chunk to the inflater; false when the IDAT chunks are over. */
        private boolean nextIdatOrEnd() {
            while (next + 12 <= png.length) {
                long len = PngHeader.readInt(png, next) & 0xffffffffL;
                if (len > png.length - next - 12) {
                    throw new InputException(file, "chunk length", len, "runs past the end of the file");
                }
                int at = next;
                next += (int) len + 12;
                if (is(png, at + 4, "IDAT")) {
                    checkCrc(at);
                    inf.setInput(png, at + 8, (int) len);
                    if (len > 0) {
                        return true;
                    }
                } else if (is(png, at + 4, "IEND")) {
                    return false;
                }
            }
            return false;
        }

        private void checkCrc(int at) {
            int len = PngHeader.readInt(png, at);
            crc.reset();
            crc.update(png, at + 4, len + 4);
            if ((int) crc.getValue() != PngHeader.readInt(png, at + 8 + len)) {
                throw new InputException(file, "chunk " + new String(png, at + 4, 4,
                        java.nio.charset.StandardCharsets.ISO_8859_1), "CRC", "does not match (corrupt file)");
            }
        }
    }
}
