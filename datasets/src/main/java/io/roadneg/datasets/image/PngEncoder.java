package io.roadneg.datasets.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder written straight from the pixel buffers (no OpenCV matrix in between), compressing with the JDK's
 * {@link Deflater} (the system zlib), except two fast paths at level 1: RGB images with {@link Codec#ISAL} go through
 * ISA-L's igzip ({@code IsalDeflate}, where its native library loads) and gray images through
 * {@link RunLengthDeflate}, fed one row at a time. One PNG filter for the whole image: {@link Filter#UP} (each byte
 * minus the byte above) for photographs and label maps alike; measured on 2048x1024 sample frames at level 1 it
 * gives the sizes of OpenCV's libpng with its adaptive per-row filter choice within 1 % in less than half the time.
 * The output is a valid, non-interlaced PNG: IHDR, then one uncompressed UTF-8 {@code iTXt} chunk per text entry in
 * keyword order (the bytes do not depend on the iteration order of the map a caller passes: that of {@code Map.of}
 * and {@code Map.copyOf} changes from one JVM to the next), then IDAT chunks of at most 1 MiB, then IEND. The same
 * pixels, level and text give the same bytes on every run and thread.
 *
 * <p>Work buffers (the filtered scanlines and the compressed stream) belong to the calling thread and are reused, so
 * a worker encoding many large frames allocates only each result ({@code write...} streams even that to the caller's
 * output).
 */
public final class PngEncoder {
    /** PNG scanline filter types (PNG spec, section 9). */
    public enum Filter {
        /** Raw bytes. */
        NONE(0),
        /** Difference to the same channel of the pixel on the left. */
        SUB(1),
        /** Difference to the byte above. */
        UP(2);

        final int code;

        Filter(int code) {
            this.code = code;
        }
    }

    /** Which deflate writes an RGB image at level 1; gray images and the other levels do not depend on it. */
    public enum Codec {
        /** The system zlib through the JDK's {@link Deflater}: the bytes of the machine's zlib build. */
        ZLIB,
        /**
         * ISA-L's igzip (about 3.5x zlib level 1's speed on street frames, files about 6 % larger) where its native
         * library loads, else zlib ({@link #isalStatus()} says which and why).
         */
        ISAL
    }

    /** The deflate {@link Codec#ISAL} uses in this process, or why it falls back to zlib (one line). */
    public static String isalStatus() {
        return IsalDeflate.status();
    }

    /**
     * What compresses an RGB image at {@code level} with {@code codec} in this process, as a run records it:
     * {@code "isa-l igzip (gkl level 2)"} or {@code "zlib level N"}.
     */
    public static String rgbDeflate(int level, Codec codec) {
        return level == 1 && codec == Codec.ISAL && IsalDeflate.available()
                ? "isa-l igzip (gkl level " + IsalDeflate.GKL_LEVEL + ")" : "zlib level " + level;
    }

    /** True when {@link Codec#ISAL} writes through igzip in this process. */
    public static boolean isalAvailable() {
        return IsalDeflate.available();
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IDAT_MAX = 1 << 20;
    /**
     * The level at which label maps are compressed by {@link RunLengthDeflate} instead of zlib: the fastest level,
     * and a label map is runs (other levels keep zlib, so a caller who wants smaller files still gets them).
     */
    public static final int LABEL_RUN_LENGTH_LEVEL = 1;

    /**
     * Per-thread work buffers, grown on demand and kept. {@link PngDecoder} borrows {@code raw} (for the inflated
     * rows) and {@code packed} (for the gathered zlib stream) between encodes, so a worker holds one set of
     * frame-sized buffers for reading and writing PNGs, not two.
     */
    static final class Work {
        byte[] raw = new byte[0];
        byte[] packed = new byte[0];
        /** One filtered label row, for the run-length path. */
        byte[] filtered = new byte[0];
        final Deflater deflater = new Deflater();
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** This thread's work buffers (shared with {@link PngDecoder}; neither calls the other while it uses them). */
    static Work work() {
        return WORK.get();
    }

    private PngEncoder() {
    }

    /** An 8-bit RGB PNG of interleaved RGB bytes, written with {@link Codec#ISAL} at level 1. */
    public static byte[] rgb(int width, int height, byte[] rgb, int level, Filter filter, Map<String, String> text) {
        return rgb(width, height, rgb, level, Codec.ISAL, filter, text);
    }

    /** An 8-bit RGB PNG of interleaved RGB bytes. */
    public static byte[] rgb(int width, int height, byte[] rgb, int level, Codec codec, Filter filter,
            Map<String, String> text) {
        return toBytes(out -> writeRgb(out, width, height, rgb, level, codec, filter, text));
    }

    /** {@link #writeRgb(OutputStream, int, int, byte[], int, Codec, Filter, Map)} with {@link Codec#ISAL}. */
    public static void writeRgb(OutputStream out, int width, int height, byte[] rgb, int level, Filter filter,
            Map<String, String> text) throws IOException {
        writeRgb(out, width, height, rgb, level, Codec.ISAL, filter, text);
    }

    /** Writes an 8-bit RGB PNG of interleaved RGB bytes to {@code out} (no copy of the compressed data is made). */
    public static void writeRgb(OutputStream out, int width, int height, byte[] rgb, int level, Codec codec,
            Filter filter, Map<String, String> text) throws IOException {
        checkSize(width, height, rgb.length, 3);
        Work w = WORK.get();
        int stride = width * 3;
        int rawLen = (stride + 1) * height;
        byte[] raw = raw(w, rawLen);
        checkLevel(level);
        // fits: always within ImageLimits (1.6 GB of rows at most); a guard against an int overflow all the same
        boolean isal = level == 1 && codec == Codec.ISAL && IsalDeflate.available() && IsalDeflate.fits(rawLen);
        // igzip writes raw deflate: the zlib trailer's checksum is summed here, each row right after it is filtered
        // (in the cache; a pass of its own over the 6 MB of a 2048x1024 frame's rows read them from memory again)
        ZlibAdler.Running sum = isal ? ZlibAdler.start() : null;
        int o = 0;
        for (int y = 0; y < height; y++) {
            int from = o;
            o = filterRow(rgb, y * stride, y == 0 ? -1 : (y - 1) * stride, stride, 3, filter, raw, o);
            if (sum != null) {
                sum.update(raw, from, o - from);
            }
        }
        int zLen = isal ? isal(w, raw, o, sum.value()) : deflate(w, raw, o, level);
        assemble(out, width, height, 8, 2, w.packed, zLen, text);
    }

    /**
     * A gray PNG of label values: 8-bit when every value is 0..255 and {@code sixteen} is false, else 16-bit (values
     * 0..65535; anything else is refused).
     */
    public static byte[] gray(int width, int height, int[] values, boolean sixteen, int level, Filter filter,
            Map<String, String> text) {
        return toBytes(out -> writeGray(out, width, height, values, sixteen, level, filter, text));
    }

    /**
     * Maps label values row by row (one call a row, so a map derived from another is encoded without being stored
     * whole).
     */
    @FunctionalInterface
    public interface RowMapper {
        /** Writes the mapped values of {@code values[from, from + n)} into {@code out[to, to + n)}. */
        void map(int[] values, int from, int n, int[] out, int to);

        /**
         * The same mapping for a map stored as bytes, when it maps every value 0..255 to a value 0..255; null when
         * it has none (such a map is then widened to ints first).
         */
        default ByteTable bytes() {
            return null;
        }
    }

    /**
     * A {@link RowMapper} of 8-bit values to 8-bit values for a map stored as bytes: each value {@code b & 0xff} looked
     * up in a table of the 256 answers. Since a value's image depends on the value alone, source rows that repeat the
     * row above map to rows that do too: on the labels' usual path the encoder looks up only where a source row
     * differs from the one above (a label map's region edges).
     */
    public static final class ByteTable {
        private final byte[] table;

        /** A mapper of {@code v} to {@code table[v]}; the table (256 entries) is copied. */
        public ByteTable(byte[] table) {
            if (table.length != 256) {
                throw new IllegalArgumentException("a table of 256 values, not " + table.length);
            }
            this.table = table.clone();
        }

        /** Writes the mapped values of {@code values[from, from + n)} into {@code out[to, to + n)}. */
        public void map(byte[] values, int from, int n, byte[] out, int to) {
            for (int i = 0; i < n; i++) {
                out[to + i] = table[values[from + i] & 0xff];
            }
        }
    }

    /**
     * Writes a gray PNG of the samples of a map stored as bytes ({@link LabelMap#bytes()}: one byte a value; {@link
     * LabelMap#bytes16()}: two, most significant first, as PNG stores them), {@code bpp} bytes a value, mapped row by
     * row by {@code mapper} (8-bit only; null: the values themselves): the same bytes as {@link
     * #writeGray(OutputStream, int, int, int[], RowMapper, boolean, int, Filter, Map)} writes for the same values as
     * ints at that depth, without widening them.
     */
    public static void writeGrayBytes(OutputStream out, int width, int height, byte[] samples, int bpp,
            ByteTable mapper, int level, Filter filter, Map<String, String> text) throws IOException {
        if (bpp != 1 && bpp != 2 || bpp == 2 && mapper != null) {
            throw new IllegalArgumentException("samples of 1 or 2 bytes (mapped: 1), not " + bpp);
        }
        checkSize(width, height, samples.length, bpp);
        checkLevel(level);
        Work w = WORK.get();
        if (mapper != null && !(level == LABEL_RUN_LENGTH_LEVEL && filter == Filter.UP)) {
            byte[] mapped = new byte[samples.length];
            for (int y = 0; y < height; y++) {
                mapper.map(samples, y * width, width, mapped, y * width);
            }
            samples = mapped;
            mapper = null;
        }
        int stride = width * bpp;
        int rawLen = (stride + 1) * height;
        int zLen;
        if (level == LABEL_RUN_LENGTH_LEVEL && filter == Filter.UP) {
            // the labels' usual path, as runLengthUp: one row-sized buffer, each row filtered straight from the
            // samples (mapped, where there is a table, only where a row differs from the one above)
            RunLengthDeflate.Stream z = runLengthStream(w, width, height, stride);
            byte[] row = w.filtered;
            for (int y = 0; y < height; y++) {
                int at = y * stride;
                if (y == 0) {
                    row[0] = (byte) Filter.NONE.code;
                    if (mapper != null) {
                        mapper.map(samples, 0, width, row, 1);
                    } else {
                        System.arraycopy(samples, 0, row, 1, stride);
                    }
                } else {
                    row[0] = (byte) Filter.UP.code;
                    if (mapper != null) {
                        ByteLanes.upRunsMapped(samples, at, at - stride, stride, mapper.table, row, 1);
                    } else {
                        ByteLanes.upRuns(samples, at, at - stride, stride, row, 1);
                    }
                }
                z.write(row, 0, stride + 1);
            }
            zLen = z.finish();
        } else {
            byte[] raw = raw(w, rawLen);
            int o = 0;
            for (int y = 0; y < height; y++) {
                o = filterRow(samples, y * stride, y == 0 ? -1 : (y - 1) * stride, stride, bpp, filter, raw, o);
            }
            zLen = compressRows(w, raw, rawLen, level);
        }
        assemble(out, width, height, bpp * 8, 0, w.packed, zLen, text);
    }

    /** Writes a gray PNG of label values to {@code out}, as {@link #gray} makes it. */
    public static void writeGray(OutputStream out, int width, int height, int[] values, boolean sixteen, int level,
            Filter filter, Map<String, String> text) throws IOException {
        writeGray(out, width, height, values, null, sixteen, level, filter, text);
    }

    /**
     * {@link #writeGray(OutputStream, int, int, int[], boolean, int, Filter, Map)} of the values {@code mapper} makes
     * of {@code values} row by row (null: the values themselves); on the labels' usual path (level
     * {@link #LABEL_RUN_LENGTH_LEVEL}, UP) the mapped map is never stored whole.
     */
    public static void writeGray(OutputStream out, int width, int height, int[] values, RowMapper mapper,
            boolean sixteen, int level, Filter filter, Map<String, String> text) throws IOException {
        checkSize(width, height, values.length, 1);
        checkLevel(level);
        Work w = WORK.get();
        if (mapper != null && !(level == LABEL_RUN_LENGTH_LEVEL && filter == Filter.UP)) {
            int[] mapped = new int[values.length];
            for (int y = 0; y < height; y++) {
                mapper.map(values, y * width, width, mapped, y * width);
            }
            values = mapped;
            mapper = null;
        }
        if (level == LABEL_RUN_LENGTH_LEVEL && filter == Filter.UP) {
            // the labels' usual path: one pass over the values, no whole-map buffer
            int bpp = sixteen ? 2 : 1;
            int zLen = runLengthUp(w, values, mapper, width, height, bpp);
            if (zLen == WIDER) {
                bpp = 2;
                zLen = runLengthUp(w, values, mapper, width, height, bpp);
            }
            if (zLen == OUT_OF_RANGE) {
                if (mapper != null) {
                    throw new IllegalArgumentException("mapped label values must be 0..65535");
                }
                throw outOfRange(values, width);
            }
            assemble(out, width, height, bpp * 8, 0, w.packed, zLen, text);
            return;
        }
        // one OR over all values decides the depth and the range (a vectorizable reduction, no per-value branches)
        int or = 0;
        for (int v : values) {
            or |= v;
        }
        if ((or & 0xffff0000) != 0) {
            throw outOfRange(values, width);
        }
        int bpp = sixteen || (or & 0xff00) != 0 ? 2 : 1;
        int rawLen = (width * bpp + 1) * height;
        byte[] raw = filterAll(w, values, width, height, bpp, filter);
        // compressed first: it may replace w.packed with a larger buffer (an argument list reads w.packed before)
        int zLen = compressRows(w, raw, rawLen, level);
        assemble(out, width, height, bpp * 8, 0, w.packed, zLen, text);
    }

    /**
     * A {@link RunLengthDeflate} stream into {@code w.packed} for {@code height} filtered rows of {@code stride}
     * bytes, with {@code w.filtered} at least one filtered row long.
     */
    private static RunLengthDeflate.Stream runLengthStream(Work w, int width, int height, int stride) {
        long bound = RunLengthDeflate.bound((stride + 1) * height);
        if (bound > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image " + width + "x" + height + " is too large for one PNG buffer");
        }
        if (w.packed.length < bound) {
            w.packed = new byte[(int) bound];
        }
        if (w.filtered.length < stride + 1) {
            w.filtered = new byte[stride + 1];
        }
        return new RunLengthDeflate.Stream(w.packed);
    }

    /**
     * The filtered rows {@code raw[0, rawLen)} compressed into {@code w.packed}: by {@link RunLengthDeflate} at
     * {@link #LABEL_RUN_LENGTH_LEVEL}, else zlib; returns the length.
     */
    private static int compressRows(Work w, byte[] raw, int rawLen, int level) {
        if (level != LABEL_RUN_LENGTH_LEVEL) {
            return deflate(w, raw, rawLen, level);
        }
        int bound = RunLengthDeflate.bound(rawLen);
        if (w.packed.length < bound) {
            w.packed = new byte[bound];
        }
        return RunLengthDeflate.compress(raw, rawLen, w.packed);
    }

    /** {@link #runLengthUp} results: a value above 255 in an 8-bit pass; a value outside 0..65535. */
    private static final int WIDER = -1;
    private static final int OUT_OF_RANGE = -2;

    private static IllegalArgumentException outOfRange(int[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 65535) {
                return new IllegalArgumentException("label values must be 0..65535, found " + values[i]
                        + " at pixel (" + (i % width) + ", " + (i / width) + ")");
            }
        }
        throw new IllegalStateException("no value out of range");
    }

    /**
     * The label map UP-filtered and compressed by {@link RunLengthDeflate} one row at a time, each row read once from
     * the values (packed, filtered and range-checked in one loop) into one row-sized buffer; into {@code w.packed},
     * returns the length, or {@link #WIDER} when an 8-bit pass meets a value above 255, {@link #OUT_OF_RANGE} for a
     * value outside 0..65535. The bytes are those of packing, filtering and compressing the whole map at once.
     */
    private static int runLengthUp(Work w, int[] values, RowMapper mapper, int width, int height, int bpp) {
        int stride = width * bpp;
        RunLengthDeflate.Stream z = runLengthStream(w, width, height, stride);
        byte[] row = w.filtered;
        if (mapper == null) {
            for (int y = 0; y < height; y++) {
                int or = filterRow(values, y * width, y * width - width, y == 0, width, bpp, row);
                if ((or & 0xffff0000) != 0 || bpp == 1 && (or & 0xff00) != 0) {
                    return (or & 0xffff0000) != 0 ? OUT_OF_RANGE : WIDER;
                }
                z.write(row, 0, stride + 1);
            }
            return z.finish();
        }
        // two rows of mapped values (this one and the one above) in place of the whole mapped map
        int[] two = new int[2 * width];
        for (int y = 0; y < height; y++) {
            int at = (y & 1) * width;
            mapper.map(values, y * width, width, two, at);
            int or = filterRow(two, at, width - at, y == 0, width, bpp, row);
            if ((or & 0xffff0000) != 0 || bpp == 1 && (or & 0xff00) != 0) {
                return (or & 0xffff0000) != 0 ? OUT_OF_RANGE : WIDER;
            }
            z.write(row, 0, stride + 1);
        }
        return z.finish();
    }

    /**
     * One row of label values {@code v[at, at + width)} packed and filtered into {@code row} (filter byte first): no
     * filter for the first row, else UP against {@code v[above, above + width)}; returns the OR of its values.
     */
    private static int filterRow(int[] v, int at, int above, boolean first, int width, int bpp, byte[] row) {
        if (first) {
            row[0] = (byte) Filter.NONE.code;
            return bpp == 1 ? pack8(v, at, width, row) : pack16(v, at, width, row);
        }
        row[0] = (byte) Filter.UP.code;
        return bpp == 1 ? up8(v, at, above, width, row) : up16(v, at, above, width, row);
    }

    // one loop per method, each one vectorizable on its own; each returns the OR of the row's values

    private static int pack8(int[] v, int at, int n, byte[] out) {
        int or = 0;
        for (int i = 0; i < n; i++) {
            or |= v[at + i];
            out[1 + i] = (byte) v[at + i];
        }
        return or;
    }

    private static int pack16(int[] v, int at, int n, byte[] out) {
        int or = 0;
        for (int i = 0; i < n; i++) {
            or |= v[at + i];
            out[1 + 2 * i] = (byte) (v[at + i] >>> 8);
            out[2 + 2 * i] = (byte) v[at + i];
        }
        return or;
    }

    private static int up8(int[] v, int at, int prev, int n, byte[] out) {
        int or = 0;
        for (int i = 0; i < n; i++) {
            or |= v[at + i];
            out[1 + i] = (byte) (v[at + i] - v[prev + i]);
        }
        return or;
    }

    private static int up16(int[] v, int at, int prev, int n, byte[] out) {
        int or = 0;
        for (int i = 0; i < n; i++) {
            int a = v[at + i];
            int b = v[prev + i];
            or |= a;
            out[1 + 2 * i] = (byte) ((a >>> 8) - (b >>> 8));
            out[2 + 2 * i] = (byte) (a - b);
        }
        return or;
    }

    /** The whole label map packed and filtered into {@code w.raw}. */
    private static byte[] filterAll(Work w, int[] values, int width, int height, int bpp, Filter filter) {
        int stride = width * bpp;
        byte[] raw = raw(w, (stride + 1) * height);
        byte[] packed = w.packed.length >= stride * height ? w.packed : (w.packed = new byte[stride * height]);
        pack(values, bpp, packed);
        int o = 0;
        for (int y = 0; y < height; y++) {
            o = filterRow(packed, y * stride, y == 0 ? -1 : (y - 1) * stride, stride, bpp, filter, raw, o);
        }
        return raw;
    }

    /** The values as 8-bit or big-endian 16-bit samples into {@code out}. */
    private static void pack(int[] values, int bpp, byte[] out) {
        if (bpp == 1) {
            for (int i = 0; i < values.length; i++) {
                out[i] = (byte) values[i];
            }
        } else {
            for (int i = 0, p = 0; i < values.length; i++, p += 2) {
                out[p] = (byte) (values[i] >>> 8);
                out[p + 1] = (byte) values[i];
            }
        }
    }

    /** Something that writes a PNG to a stream. */
    @FunctionalInterface
    private interface PngWriter {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] toBytes(PngWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    private static void checkSize(int width, int height, int length, int channels) {
        if (width < 1 || height < 1 || (long) width * height * channels != length) {
            throw new IllegalArgumentException("image " + width + "x" + height + "x" + channels + " needs "
                    + ((long) width * height * channels) + " values, found " + length);
        }
        if ((long) (width * channels * 2L + 1) * height > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("image " + width + "x" + height + " is too large for one PNG buffer");
        }
    }

    private static byte[] raw(Work w, int size) {
        if (w.raw.length < size) {
            w.raw = new byte[size];
        }
        return w.raw;
    }

    private static int filterRow(byte[] src, int row, int prev, int stride, int bpp, Filter filter, byte[] out,
            int o) {
        Filter f = filter == Filter.UP && prev < 0 ? Filter.NONE : filter;
        out[o++] = (byte) f.code;
        // each filter's loop is a method of its own: inside one switch, C2 left the UP loop unvectorized (2x slower)
        if (f == Filter.UP) {
            ByteLanes.up(src, row, prev, stride, out, o);
        } else if (f == Filter.SUB) {
            System.arraycopy(src, row, out, o, bpp);
            sub(src, row, stride, bpp, out, o);
        } else {
            System.arraycopy(src, row, out, o, stride);
        }
        return o + stride;
    }

    private static void sub(byte[] src, int row, int stride, int bpp, byte[] out, int o) {
        for (int i = bpp; i < stride; i++) {
            out[o + i] = (byte) (src[row + i] - src[row + i - bpp]);
        }
    }

    private static void checkLevel(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("PNG compression level must be 0..9, found " + level);
        }
    }

    /** Writes the PNG: signature, IHDR, the text chunks, the zlib stream {@code z[0, zLen)} as IDAT chunks, IEND. */
    private static void assemble(OutputStream out, int width, int height, int depth, int colorType, byte[] z,
            int zLen, Map<String, String> text) throws IOException {
        out.write(SIGNATURE, 0, SIGNATURE.length);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = (byte) depth;
        ihdr[9] = (byte) colorType;
        chunk(out, "IHDR", ihdr, 0, 13);
        if (text != null) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(text).entrySet()) {
                byte[] body = itxt(e.getKey(), e.getValue());
                chunk(out, "iTXt", body, 0, body.length);
            }
        }
        for (int at = 0; at < zLen; at += IDAT_MAX) {
            chunk(out, "IDAT", z, at, Math.min(IDAT_MAX, zLen - at));
        }
        chunk(out, "IEND", new byte[0], 0, 0);
    }

    /** zlib at {@code level} into {@code w.packed}; returns the compressed length. */
    private static int deflate(Work w, byte[] raw, int rawLen, int level) {
        Deflater d = w.deflater;
        d.reset();
        d.setLevel(level);
        d.setInput(raw, 0, rawLen);
        d.finish();
        int bound = rawLen + rawLen / 1000 + (rawLen >>> 12) + 1024;
        if (w.packed.length < bound) {
            w.packed = new byte[bound];
        }
        byte[] z = w.packed;
        int zLen = 0;
        while (!d.finished()) {
            if (zLen == z.length) {
                z = w.packed = Arrays.copyOf(z, z.length * 2);
            }
            zLen += d.deflate(z, zLen, z.length - zLen);
        }
        return zLen;
    }

    /** igzip into {@code w.packed}, with the rows' Adler-32 as the trailer; returns the compressed length. */
    private static int isal(Work w, byte[] raw, int rawLen, int adler) {
        int bound = IsalDeflate.bound(rawLen);
        if (w.packed.length < bound) {
            w.packed = new byte[bound];
        }
        return IsalDeflate.compress(raw, rawLen, w.packed, adler);
    }

    /** The body of an uncompressed UTF-8 {@code iTXt} chunk (keyword 1..79 Latin-1 bytes, no language tag). */
    static byte[] itxt(String keyword, String value) {
        byte[] key = keyword.getBytes(StandardCharsets.ISO_8859_1);
        if (key.length < 1 || key.length > 79) {
            throw new IllegalArgumentException("PNG text keyword must be 1..79 bytes: " + keyword);
        }
        byte[] val = value.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[key.length + 5 + val.length];
        System.arraycopy(key, 0, body, 0, key.length);
        // keyword terminator, not compressed, compression method 0, empty language tag, empty translated keyword
        System.arraycopy(val, 0, body, key.length + 5, val.length);
        return body;
    }

    /** Writes one chunk: length, type, data, CRC of type and data. */
    static void chunk(OutputStream out, String type, byte[] data, int off, int len) throws IOException {
        byte[] head = new byte[8];
        putInt(head, 0, len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, head, 4, 4);
        out.write(head, 0, 8);
        out.write(data, off, len);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, off, len);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.write(c, 0, 4);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
