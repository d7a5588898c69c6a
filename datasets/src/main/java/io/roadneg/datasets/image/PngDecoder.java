package io.roadneg.datasets.image;

import io.roadneg.datasets.InputException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A PNG decoder for the kinds this project writes and reads most: 8-bit RGB and 8- or 16-bit gray, not interlaced.
 * The IDAT chunks are gathered into one zlib stream, inflated in one pass into a per-thread buffer of the filtered
 * rows (by ISA-L's igzip through {@link IsalInflate} where it loads, about twice the speed of zlib on street frames;
 * else by the JDK's {@link Inflater}), and the rows unfiltered from there into the result. Other kinds (palette,
 * alpha, interlaced, other depths, a {@code tRNS} chunk) are left to {@link Images}' general decoders:
 * {@link #supports} says which.
 *
 * <p>The file is checked as it is read: chunk lengths inside the file, the CRC of IHDR and of every IDAT, the zlib
 * header, the filter type of each row, and a zlib stream that holds at least the image's bytes (data after the last
 * row is ignored, as libpng does; an Adler-32 trailer right after the image's bytes must match, as zlib checks it).
 * Any failure is an {@link InputException} naming the file. ISA-L's result is kept only when it holds the image's
 * bytes and matches the stream's trailer; every other stream is decoded again by zlib, so files are accepted or
 * refused as zlib does but for damage after the image's last byte ({@link #isalInflate}; {@code PngDecoderTest}
 * feeds both paths mutated streams side by side).
 */
final class PngDecoder {
    private static final int IHDR_END = 33;
    /** Buffers up to this size stay with their thread for the next file; larger ones are left to the collector. */
    private static final int KEEP_BYTES = 48 << 20;
    /**
     * The most bytes one byte of deflate data can inflate to: a 258-byte match in as little as two bits of dynamic
     * Huffman codes (zlib's documented limit, 1032:1).
     */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /** Per-thread inflater and checksum, reused; the frame-sized buffers are {@link PngEncoder}'s (see there). */
    private static final class Work {
        final Inflater inflater = new Inflater();
        final CRC32 crc = new CRC32();
        /**
         * Set by {@link #inflate} when ISA-L inflated the rows: their Adler-32 is still to be checked against
         * {@link #trailer}, row by row as they are unfiltered ({@link Check}).
         */
        boolean unchecked;
        int trailer;
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private PngDecoder() {
    }

    /** True when this decoder reads the file: 8-bit RGB or 8/16-bit gray, not interlaced, no tRNS chunk. */
    static boolean supports(byte[] png, PngHeader h) {
        return supports(png, png.length, h);
    }

    /** {@link #supports(byte[], PngHeader)} for a file of {@code end} bytes at the start of {@code png}. */
    static boolean supports(byte[] png, int end, PngHeader h) {
        boolean kind = h.colorType() == PngHeader.RGB && h.bitDepth() == 8
                || h.colorType() == PngHeader.GRAY && (h.bitDepth() == 8 || h.bitDepth() == 16);
        if (!kind || end < IHDR_END || PngHeader.readInt(png, 8) != 13 || png[26] != 0 || png[27] != 0 || png[28] != 0) {
            return false;
        }
        // a tRNS chunk comes before the first IDAT
        for (int at = IHDR_END; at + 8 <= end; ) {
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
        return rgb(png, h, file, into, IsalInflate.available());
    }

    /** {@link #rgb(byte[], PngHeader, Path, byte[])} with the inflater chosen: ISA-L or the JDK's. */
    static RgbImage rgb(byte[] png, PngHeader h, Path file, byte[] into, boolean isal) {
        return rgb(png, png.length, h, file, into, isal);
    }

    /** {@link #rgb(byte[], PngHeader, Path, byte[], boolean)} of the file of {@code end} bytes at {@code png}'s start. */
    static RgbImage rgb(byte[] png, int end, PngHeader h, Path file, byte[] into, boolean isal) {
        int stride = h.width() * 3;
        Work w = WORK.get();
        byte[] raw = inflate(w, png, end, h, stride, file, isal);
        byte[] out = into != null && into.length == stride * h.height() ? into : new byte[stride * h.height()];
        Check check = new Check(w);
        try {
            for (int y = 0, r = 1; y < h.height(); y++, r += stride + 1) {
                check.row(raw, r - 1, stride + 1);
                unfilter(raw[r - 1], raw, r, y == 0 ? -1 : r - stride - 1, stride, 3, file);
                System.arraycopy(raw, r, out, y * stride, stride);
            }
        } catch (InputException e) {
            check.failed(e);
        }
        if (!check.passed()) {
            return rgb(png, end, h, file, into, false);
        }
        return new RgbImage(h.width(), h.height(), out);
    }

    /**
     * Decodes an 8- or 16-bit gray PNG to a label map (unsigned values), into {@code into} when it has exactly the
     * map's size.
     */
    static LabelMap gray(byte[] png, PngHeader h, Path file, int[] into) {
        return gray(png, h, file, into, IsalInflate.available());
    }

    /** {@link #gray(byte[], PngHeader, Path, int[])} with the inflater chosen: ISA-L or the JDK's. */
    static LabelMap gray(byte[] png, PngHeader h, Path file, int[] into, boolean isal) {
        int bpp = h.bitDepth() / 8;
        int width = h.width();
        int stride = width * bpp;
        int n = width * h.height();
        Work w = WORK.get();
        byte[] raw = inflate(w, png, png.length, h, stride, file, isal);
        int[] out = into != null && into.length == n ? into : new int[n];
        Check check = new Check(w);
        try {
            for (int y = 0, r = 1; y < h.height(); y++, r += stride + 1) {
                check.row(raw, r - 1, stride + 1);
                unfilter(raw[r - 1], raw, r, y == 0 ? -1 : r - stride - 1, stride, bpp, file);
                if (bpp == 1) {
                    widen8(raw, r, out, y * width, width);
                } else {
                    widen16(raw, r, out, y * width, width);
                }
            }
        } catch (InputException e) {
            check.failed(e);
        }
        if (!check.passed()) {
            return gray(png, h, file, into, false);
        }
        return new LabelMap(width, h.height(), out);
    }

    /**
     * An 8- or 16-bit gray PNG as a map stored as its samples ({@link LabelMap#ofBytes}, {@link LabelMap#ofBytes16}):
     * each row unfiltered in place and copied out as it is, no widening; into {@code into} when it has exactly the
     * samples' size. Only for gray files this decoder {@link #supports}.
     */
    static LabelMap graySamples(byte[] png, PngHeader h, Path file, byte[] into) {
        return graySamples(png, h, file, into, IsalInflate.available());
    }

    /** {@link #graySamples(byte[], PngHeader, Path, byte[])} with the inflater chosen: ISA-L or the JDK's. */
    static LabelMap graySamples(byte[] png, PngHeader h, Path file, byte[] into, boolean isal) {
        return graySamples(png, png.length, h, file, into, isal);
    }

    /**
     * {@link #graySamples(byte[], PngHeader, Path, byte[], boolean)} of the file of {@code end} bytes at {@code
     * png}'s start.
     */
    static LabelMap graySamples(byte[] png, int end, PngHeader h, Path file, byte[] into, boolean isal) {
        if (h.colorType() != PngHeader.GRAY || h.bitDepth() != 8 && h.bitDepth() != 16) {
            throw new IllegalArgumentException("not an 8- or 16-bit gray PNG: colour type " + h.colorType()
                    + ", depth " + h.bitDepth());
        }
        int bpp = h.bitDepth() / 8;
        int stride = h.width() * bpp;
        int n = stride * h.height();
        Work w = WORK.get();
        byte[] raw = inflate(w, png, end, h, stride, file, isal);
        byte[] out = into != null && into.length == n ? into : new byte[n];
        Check check = new Check(w);
        try {
            for (int y = 0, r = 1; y < h.height(); y++, r += stride + 1) {
                check.row(raw, r - 1, stride + 1);
                if (raw[r - 1] == 2 && y > 0) {
                    ByteLanes.addUpRuns(raw, r, r - stride - 1, stride); // label rows mostly repeat the one above
                } else {
                    unfilter(raw[r - 1], raw, r, y == 0 ? -1 : r - stride - 1, stride, bpp, file);
                }
                System.arraycopy(raw, r, out, y * stride, stride);
            }
        } catch (InputException e) {
            check.failed(e);
        }
        if (!check.passed()) {
            return graySamples(png, end, h, file, into, false);
        }
        return bpp == 1 ? LabelMap.ofBytes(h.width(), h.height(), out) : LabelMap.ofBytes16(h.width(), h.height(), out);
    }

    // the widening loops are methods of their own: written inline in gray(), C2 left the 8-bit one unvectorized
    // (4x slower)
    private static void widen8(byte[] raw, int r, int[] out, int o, int width) {
        for (int x = 0; x < width; x++) {
            out[o + x] = raw[r + x] & 0xff;
        }
    }

    private static void widen16(byte[] raw, int r, int[] out, int o, int width) {
        for (int x = 0; x < width; x++) {
            out[o + x] = (raw[r + 2 * x] & 0xff) << 8 | (raw[r + 2 * x + 1] & 0xff);
        }
    }

    /**
     * The filtered rows of the file ({@code height * (stride + 1)} bytes from index 0 of the returned array, which
     * may be longer): its IDAT chunks checked and gathered, the zlib header checked, the stream inflated.
     */
    private static byte[] inflate(Work w, byte[] png, int end, PngHeader h, int stride, Path file, boolean isal) {
        long rawLong = (long) (stride + 1) * h.height();
        if (rawLong > Integer.MAX_VALUE - 16) {
            throw new InputException(file, "size", h.width() + "x" + h.height(), "too large for one image buffer");
        }
        int rawLen = (int) rawLong;
        PngEncoder.Work buffers = PngEncoder.work();
        checkCrc(w.crc, png, 8, file);
        // the zlib stream: one IDAT's data in place, or several gathered into the thread's buffer
        int first = -1;
        int count = 0;
        long total = 0;
        for (int at = IHDR_END; at + 12 <= end; ) {
            long len = PngHeader.readInt(png, at) & 0xffffffffL;
            if (len > end - at - 12) {
                throw new InputException(file, "chunk length", len, "runs past the end of the file");
            }
            if (is(png, at + 4, "IDAT")) {
                checkCrc(w.crc, png, at, file);
                if (len > 0) {
                    first = first < 0 ? at : first;
                    count++;
                    total += len;
                }
            } else if (is(png, at + 4, "IEND")) {
                break;
            }
            at += (int) len + 12;
        }
        byte[] z;
        int zOff;
        int zLen = (int) total; // the chunks lie inside the file, so their sum fits
        if (rawLong > MAX_DEFLATE_RATIO * total + 64) {
            // no deflate stream expands more than that: a header that declares more than the data can hold is refused
            // before anything of its size is allocated
            throw new InputException(file, "IDAT", total + " bytes", "cannot hold a " + h.width() + "x" + h.height()
                    + " image (" + rawLong + " bytes of rows; corrupt or truncated file)");
        }
        if (count <= 1) {
            z = png;
            zOff = first + 8;
        } else {
            z = buffers.packed.length >= zLen ? buffers.packed : new byte[zLen];
            if (z != buffers.packed && zLen <= KEEP_BYTES) {
                buffers.packed = z;
            }
            zOff = 0;
            int o = 0;
            for (int at = first; o < zLen; ) {
                int len = PngHeader.readInt(png, at);
                if (is(png, at + 4, "IDAT")) {
                    System.arraycopy(png, at + 8, z, o, len);
                    o += len;
                }
                at += len + 12;
            }
        }
        if (zLen < 2) {
            throw new InputException(file, null, null, "truncated PNG (image data ends early)");
        }
        byte[] raw = buffers.raw.length >= rawLen ? buffers.raw : new byte[rawLen];
        if (raw != buffers.raw && rawLen <= KEEP_BYTES) {
            buffers.raw = raw;
        }
        checkZlibHeader(z[zOff] & 0xff, z[zOff + 1] & 0xff, file);
        w.unchecked = false;
        if (isal && zLen > 6 && isalInflate(z, zOff, zLen, raw, rawLen)) {
            w.unchecked = true;
            w.trailer = PngHeader.readInt(z, zOff + zLen - 4);
            return raw;
        }
        Inflater inf = w.inflater;
        inf.reset();
        inf.setInput(z, zOff, zLen);
        try {
            for (int got = 0; got < rawLen; ) {
                int n = inf.inflate(raw, got, rawLen - got);
                got += n;
                if (n == 0 && got < rawLen) {
                    if (inf.needsDictionary()) {
                        throw new InputException(file, null, null, "PNG image data needs a zlib dictionary");
                    }
                    throw new InputException(file, null, null, "PNG image data ends early: " + got + " of "
                            + rawLen + " bytes (corrupt or truncated file)");
                }
            }
        } catch (DataFormatException e) {
            throw new InputException(file, null, null, "corrupt PNG image data: " + e.getMessage());
        }
        return raw;
    }

    /**
     * The fast path: true when ISA-L inflated the image's bytes; they stand once they match the stream's Adler-32
     * trailer (the stream's last four bytes, checked as the rows are unfiltered: {@link Check}), which is when zlib
     * accepts the stream too. Anything else (a stream ISA-L refuses, one that ends early, holds more than the image,
     * does not match its trailer, or has bytes after it) is left to the JDK's zlib, whose verdict and message stand.
     * The one difference from zlib alone: damage after the image's last byte (a lost final-block bit, bytes inserted
     * before the trailer) is not read, so such a file decodes to the pixels its trailer vouches for where zlib would
     * refuse it.
     */
    private static boolean isalInflate(byte[] z, int zOff, int zLen, byte[] raw, int rawLen) {
        int got;
        try {
            got = IsalInflate.inflate(z, zOff + 2, zLen - 6, raw, rawLen);
        } catch (IsalInflate.CorruptStreamException e) {
            return false;
        }
        return got == rawLen;
    }

    /**
     * The Adler-32 check of rows ISA-L inflated, summed a row at a time just before the row is unfiltered (it is then
     * in the cache for both; a pass of its own over a 2048x1024 frame's 6 MB of rows read them from memory once more).
     * Until the sum is complete the rows are not vouched for: a row whose filter the decoder refuses, or a sum that
     * does not match, sends the file back to zlib ({@link #passed} false), whose verdict and message stand.
     */
    private static final class Check {
        private final ZlibAdler.Running sum;
        private final int trailer;
        private boolean refused;

        Check(Work w) {
            sum = w.unchecked ? ZlibAdler.start() : null;
            trailer = w.trailer;
        }

        void row(byte[] raw, int off, int len) {
            if (sum != null) {
                sum.update(raw, off, len);
            }
        }

        /** A row was refused: rethrown when zlib inflated (and checked) the rows, else left to zlib. */
        void failed(InputException e) {
            if (sum == null) {
                throw e;
            }
            refused = true;
        }

        /** True when the rows stand: zlib inflated them, or ISA-L did and they match the trailer. */
        boolean passed() {
            return sum == null || !refused && sum.value() == trailer;
        }
    }

    /** The zlib header (RFC 1950): deflate, a window of at most 32 KiB, its check bits, no preset dictionary. */
    private static void checkZlibHeader(int cmf, int flg, Path file) {
        if ((cmf & 0x0f) != 8 || (cmf >>> 4) > 7) {
            throw new InputException(file, "zlib header", String.format("0x%02x%02x", cmf, flg),
                    "not a deflate stream with a window of at most 32 KiB (corrupt file)");
        }
        if ((cmf * 256 + flg) % 31 != 0) {
            throw new InputException(file, "zlib header", String.format("0x%02x%02x", cmf, flg),
                    "fails its check bits (corrupt file)");
        }
        if ((flg & 0x20) != 0) {
            throw new InputException(file, null, null, "PNG image data needs a zlib dictionary");
        }
    }

    /** Reverses one row's PNG filter in place; {@code prev} is the previous row's offset, or -1 for the first row. */
    static void unfilter(byte type, byte[] b, int row, int prev, int stride, int bpp, Path file) {
        switch (type) {
            case 0 -> {
            }
            case 1 -> {
                if (bpp == 3) {
                    sub3(b, row, stride);
                } else if (bpp == 1) {
                    sub1(b, row, stride);
                } else if (bpp == 2) {
                    sub2(b, row, stride);
                } else {
                    bytewise(1, b, row, prev, stride, bpp);
                }
            }
            case 2 -> {
                if (prev >= 0) {
                    ByteLanes.addUp(b, row, prev, stride);
                }
            }
            case 3 -> {
                if (bpp == 3 && prev >= 0) {
                    average3(b, row, prev, stride);
                } else if (bpp == 1 && prev >= 0) {
                    average1(b, row, prev, stride);
                } else {
                    bytewise(3, b, row, prev, stride, bpp);
                }
            }
            case 4 -> {
                if (bpp == 3 && prev >= 0) {
                    paeth3(b, row, prev, stride);
                } else if (bpp == 1 && prev >= 0) {
                    paeth1(b, row, prev, stride);
                } else if (bpp == 2 && prev >= 0) {
                    paeth2(b, row, prev, stride);
                } else {
                    bytewise(4, b, row, prev, stride, bpp);
                }
            }
            default -> throw new InputException(file, "filter", type & 0xff,
                    "unknown PNG row filter (corrupt file)");
        }
    }

    /** Sub (1), Average (3) or Paeth (4) for any pixel size, byte by byte: gray rows and first rows. */
    private static void bytewise(int type, byte[] b, int row, int prev, int stride, int bpp) {
        for (int i = 0; i < stride; i++) {
            int a = i >= bpp ? b[row + i - bpp] & 0xff : 0;
            int up = prev >= 0 ? b[prev + i] & 0xff : 0;
            int c = i >= bpp && prev >= 0 ? b[prev + i - bpp] & 0xff : 0;
            int pred = type == 1 ? a : type == 3 ? (a + up) >>> 1 : paeth(a, up, c);
            b[row + i] += (byte) pred;
        }
    }

    // RGB rows (three bytes a pixel) of the filters that depend on the pixel to the left: each channel's left
    // neighbour (and upper-left, for Paeth) is kept in a local, so the three channels are three independent chains
    // and no byte waits for the store of the one before it (a 2048x1024 frame of Paeth rows: 51 -> 31 ms to decode)

    private static void sub3(byte[] b, int row, int stride) {
        int a0 = b[row] & 0xff;
        int a1 = b[row + 1] & 0xff;
        int a2 = b[row + 2] & 0xff;
        for (int i = row + 3, end = row + stride; i < end; i += 3) {
            a0 = (b[i] + a0) & 0xff;
            a1 = (b[i + 1] + a1) & 0xff;
            a2 = (b[i + 2] + a2) & 0xff;
            b[i] = (byte) a0;
            b[i + 1] = (byte) a1;
            b[i + 2] = (byte) a2;
        }
    }

    private static void average3(byte[] b, int row, int prev, int stride) {
        // the first pixel has no left neighbour: half the one above
        int a0 = (b[row] + ((b[prev] & 0xff) >>> 1)) & 0xff;
        int a1 = (b[row + 1] + ((b[prev + 1] & 0xff) >>> 1)) & 0xff;
        int a2 = (b[row + 2] + ((b[prev + 2] & 0xff) >>> 1)) & 0xff;
        b[row] = (byte) a0;
        b[row + 1] = (byte) a1;
        b[row + 2] = (byte) a2;
        for (int i = 3; i < stride; i += 3) {
            int x = row + i;
            int u = prev + i;
            a0 = (b[x] + ((a0 + (b[u] & 0xff)) >>> 1)) & 0xff;
            a1 = (b[x + 1] + ((a1 + (b[u + 1] & 0xff)) >>> 1)) & 0xff;
            a2 = (b[x + 2] + ((a2 + (b[u + 2] & 0xff)) >>> 1)) & 0xff;
            b[x] = (byte) a0;
            b[x + 1] = (byte) a1;
            b[x + 2] = (byte) a2;
        }
    }

    private static void paeth3(byte[] b, int row, int prev, int stride) {
        // the first pixel has no left neighbours: Paeth predicts the one above
        int c0 = b[prev] & 0xff;
        int c1 = b[prev + 1] & 0xff;
        int c2 = b[prev + 2] & 0xff;
        int a0 = (b[row] + c0) & 0xff;
        int a1 = (b[row + 1] + c1) & 0xff;
        int a2 = (b[row + 2] + c2) & 0xff;
        b[row] = (byte) a0;
        b[row + 1] = (byte) a1;
        b[row + 2] = (byte) a2;
        for (int i = 3; i < stride; i += 3) {
            int x = row + i;
            int u = prev + i;
            int b0 = b[u] & 0xff;
            int b1 = b[u + 1] & 0xff;
            int b2 = b[u + 2] & 0xff;
            a0 = (b[x] + paeth(a0, b0, c0)) & 0xff;
            a1 = (b[x + 1] + paeth(a1, b1, c1)) & 0xff;
            a2 = (b[x + 2] + paeth(a2, b2, c2)) & 0xff;
            b[x] = (byte) a0;
            b[x + 1] = (byte) a1;
            b[x + 2] = (byte) a2;
            c0 = b0;
            c1 = b1;
            c2 = b2;
        }
    }

    // 8-bit gray rows (label maps; real ones from libpng and Pillow carry Sub and Paeth rows among their Up rows):
    // the left neighbour in a local (2048x1024 map decoded: Sub rows 5.5 -> 2.7 ms, Paeth rows 12.8 -> 3.1 ms)

    private static void sub1(byte[] b, int row, int stride) {
        int a = b[row] & 0xff;
        for (int i = row + 1, end = row + stride; i < end; i++) {
            a = (b[i] + a) & 0xff;
            b[i] = (byte) a;
        }
    }

    private static void average1(byte[] b, int row, int prev, int stride) {
        int a = (b[row] + ((b[prev] & 0xff) >>> 1)) & 0xff;
        b[row] = (byte) a;
        for (int i = 1; i < stride; i++) {
            a = (b[row + i] + ((a + (b[prev + i] & 0xff)) >>> 1)) & 0xff;
            b[row + i] = (byte) a;
        }
    }

    private static void paeth1(byte[] b, int row, int prev, int stride) {
        int c = b[prev] & 0xff;
        int a = (b[row] + c) & 0xff;
        b[row] = (byte) a;
        for (int i = 1; i < stride; i++) {
            int up = b[prev + i] & 0xff;
            // where the row above does not change (most of a label map) Paeth predicts the left neighbour: a test
            // off the chain through a, so only the rest of the row pays for the full predictor
            a = (b[row + i] + (up == c ? a : paeth(a, up, c))) & 0xff;
            b[row + i] = (byte) a;
            c = up;
        }
    }

    // 16-bit gray rows (instance maps): the same with the high and the low byte as two chains

    private static void sub2(byte[] b, int row, int stride) {
        int a0 = b[row] & 0xff;
        int a1 = b[row + 1] & 0xff;
        for (int i = row + 2, end = row + stride; i < end; i += 2) {
            a0 = (b[i] + a0) & 0xff;
            a1 = (b[i + 1] + a1) & 0xff;
            b[i] = (byte) a0;
            b[i + 1] = (byte) a1;
        }
    }

    private static void paeth2(byte[] b, int row, int prev, int stride) {
        int c0 = b[prev] & 0xff;
        int c1 = b[prev + 1] & 0xff;
        int a0 = (b[row] + c0) & 0xff;
        int a1 = (b[row + 1] + c1) & 0xff;
        b[row] = (byte) a0;
        b[row + 1] = (byte) a1;
        for (int i = 2; i < stride; i += 2) {
            int u0 = b[prev + i] & 0xff;
            int u1 = b[prev + i + 1] & 0xff;
            a0 = (b[row + i] + (u0 == c0 ? a0 : paeth(a0, u0, c0))) & 0xff;
            a1 = (b[row + i + 1] + (u1 == c1 ? a1 : paeth(a1, u1, c1))) & 0xff;
            b[row + i] = (byte) a0;
            b[row + i + 1] = (byte) a1;
            c0 = u0;
            c1 = u1;
        }
    }

    /**
     * The Paeth predictor (PNG spec, section 9.4) of left {@code a}, above {@code b}, upper left {@code c}: a when
     * its distance is the smallest, else b when it is not farther than c, else c. Without branches (photographs
     * choose among the three at random, so branches mispredict): masks from the signs of the differences.
     */
    static int paeth(int a, int b, int c) {
        int pa = Math.abs(b - c); // |p - a| with p = a + b - c
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - 2 * c);
        int cOverB = (pc - pb) >> 31; // -1 when c is strictly nearer than b
        int bc = b ^ ((b ^ c) & cOverB);
        int nearest = pb ^ ((pb ^ pc) & cOverB);
        int notA = (nearest - pa) >> 31; // -1 when b or c is strictly nearer than a
        return a ^ ((a ^ bc) & notA);
    }

    private static boolean is(byte[] b, int at, String type) {
        return at + 4 <= b.length && b[at] == type.charAt(0) && b[at + 1] == type.charAt(1)
                && b[at + 2] == type.charAt(2) && b[at + 3] == type.charAt(3);
    }

    private static void checkCrc(CRC32 crc, byte[] png, int at, Path file) {
        int len = PngHeader.readInt(png, at);
        crc.reset();
        crc.update(png, at + 4, len + 4);
        if ((int) crc.getValue() != PngHeader.readInt(png, at + 8 + len)) {
            throw new InputException(file, "chunk " + new String(png, at + 4, 4,
                    java.nio.charset.StandardCharsets.ISO_8859_1), "CRC", "does not match (corrupt file)");
        }
    }
}
