package io.roadneg.evaluation.scores;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.evaluation.metrics.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes 2-D numpy {@code .npy} score maps (format 1.0 / 2.0, little-endian, C order: float32 and float16
 * read and written, float64 read), and reads integer class maps.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Reads an H x W float32, float16 or float64 map (float64: see {@link #fromDoubles}). */
    public static ScoreMap read(Path file) {
        ByteBuffer b = ByteBuffer.wrap(Images.readBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        String[] hd = header(b, file);
        String descr = hd[0];
        int h = Integer.parseInt(hd[1]);
        int w = Integer.parseInt(hd[2]);
        int n = h * w; // header() checked that the data of h x w samples is in the file
        short[] half = null;
        float[] v;
        switch (descr) {
            case "<f4" -> {
                need(b, 4L * n, file);
                v = new float[n];
                b.asFloatBuffer().get(v);
            }
            case "<f2" -> {
                need(b, 2L * n, file);
                v = new float[n];
                half = new short[n];
                b.asShortBuffer().get(half);
                for (int i = 0; i < n; i++) {
                    v[i] = Half.toFloat(half[i]);
                }
            }
            case "<f8" -> {
                need(b, 8L * n, file);
                double[] d = new double[n];
                b.asDoubleBuffer().get(d);
                return fromDoubles(w, h, d);
            }
            default -> throw new InputException(file, "descr", descr, "expected little-endian float32 (<f4), "
                    + "float16 (<f2) or float64 (<f8)");
        }
        return new ScoreMap(w, h, v, half);
    }

    /**
     * A map of float64 scores. When every score is a float32 value (a float32 map saved as float64: numpy's upcast)
     * it is that float32 map; otherwise the doubles are kept in {@link ScoreMap#wide()} for the metrics to rank as
     * they are, since rounding them to float32 could merge distinct scores into one threshold and the pooled metrics
     * would no longer be sklearn's on the same file. {@link ScoreMap#values()} then holds them rounded to nearest
     * (finite ones beyond float32's range to its largest value). Non-finite scores are left to the caller's check.
     */
    static ScoreMap fromDoubles(int width, int height, double[] d) {
        float[] v = new float[d.length];
        boolean exact = true;
        for (int i = 0; i < d.length; i++) {
            float f = (float) d[i];
            exact &= f == d[i];
            v[i] = f;
        }
        if (!exact) {
            for (int i = 0; i < d.length; i++) {
                if ((v[i] == Float.POSITIVE_INFINITY || v[i] == Float.NEGATIVE_INFINITY) && Double.isFinite(d[i])) {
                    v[i] = Math.copySign(Float.MAX_VALUE, v[i]);
                }
            }
        }
        return new ScoreMap(width, height, v, null, exact ? null : d);
    }

    /**
     * Reads an H x W integer map (class predictions): {@code |u1 |i1 <u2 <i2 <i4 <i8}; values must fit an int and be
     * non-negative.
     */
    public static LabelMap readInts(Path file) {
        ByteBuffer b = ByteBuffer.wrap(Images.readBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        String[] hd = header(b, file);
        String descr = hd[0];
        int h = Integer.parseInt(hd[1]);
        int w = Integer.parseInt(hd[2]);
        int n = h * w; // header() checked that the data of h x w samples is in the file
        int size = switch (descr) {
            case "|u1", "|i1" -> 1;
            case "<u2", "<i2" -> 2;
            case "<i4" -> 4;
            case "<i8" -> 8;
            default -> throw new InputException(file, "descr", descr, "expected an integer class map (|u1, |i1, "
                    + "<u2, <i2, <i4 or <i8)");
        };
        need(b, (long) size * n, file);
        int[] d = new int[n];
        for (int i = 0; i < n; i++) {
            long v = switch (descr) {
                case "|u1" -> Byte.toUnsignedInt(b.get());
                case "|i1" -> b.get();
                case "<u2" -> Short.toUnsignedInt(b.getShort());
                case "<i2" -> b.getShort();
                case "<i4" -> b.getInt();
                default -> b.getLong();
            };
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new InputException(file, "class", v + " at pixel (" + (i % w) + ", " + (i / w) + ")",
                        "class ids must be non-negative");
            }
            d[i] = (int) v;
        }
        return new LabelMap(w, h, d);
    }

    /**
     * Parses the header and returns descr, H, W, leaving {@code b} at the data. Every declared size is checked
     * against the file's own size before anything is allocated: the header length must fit in the file and H x W
     * samples of at least one byte each must follow it.
     */
    private static String[] header(ByteBuffer b, Path file) {
        for (byte m : MAGIC) {
            if (!b.hasRemaining() || b.get() != m) {
                throw new InputException(file, "magic", null, "not a .npy file");
            }
        }
        if (b.remaining() < 4) {
            throw new InputException(file, "header", null, "truncated .npy header");
        }
        int major = b.get();
        b.get();
        if (major < 1 || major > 3) {
            throw new InputException(file, "version", major, "unknown .npy format version (1, 2 or 3 expected)");
        }
        if (major > 1 && b.remaining() < 4) {
            throw new InputException(file, "header", null, "truncated .npy header");
        }
        long headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : Integer.toUnsignedLong(b.getInt());
        if (headerLen > b.remaining()) {
            throw new InputException(file, "header_len", headerLen, "larger than the " + b.remaining()
                    + " bytes left in the file");
        }
        byte[] hb = new byte[(int) headerLen];
        b.get(hb);
        String header = new String(hb, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, file, "descr");
        if ("True".equals(find(FORTRAN, header, file, "fortran_order"))) {
            throw new InputException(file, "fortran_order", "True", "only C-order arrays are supported");
        }
        String[] dims = find(SHAPE, header, file, "shape").replace(" ", "").split(",");
        if (dims.length != 2 || dims[1].isEmpty()) {
            throw new InputException(file, "shape", "(" + String.join(",", dims) + ")", "expected a 2-D H x W map");
        }
        long h;
        long w;
        try {
            h = Long.parseLong(dims[0]);
            w = Long.parseLong(dims[1]);
        } catch (NumberFormatException e) {
            throw new InputException(file, "shape", "(" + dims[0] + ", " + dims[1] + ")", "not whole numbers");
        }
        if (h < 1 || w < 1) {
            throw new InputException(file, "shape", "(" + h + ", " + w + ")", "sides must be positive");
        }
        if (h > b.remaining() || w > b.remaining() || h * w > b.remaining()) {
            throw new InputException(file, "shape", "(" + h + ", " + w + ")", "declares more samples than the "
                    + b.remaining() + " data bytes in the file");
        }
        return new String[] {descr, Long.toString(h), Long.toString(w)};
    }

    private static void need(ByteBuffer b, long bytes, Path file) {
        if (b.remaining() < bytes) {
            throw new InputException(file, "data", b.remaining() + " bytes", "truncated: expected " + bytes);
        }
    }

    private static String find(Pattern p, String header, Path file, String field) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new InputException(file, field, null, "missing from the .npy header");
        }
        return m.group(1);
    }

    /** Writes an H x W float32 map (or float16 when {@code half}, rounded to nearest even). */
    public static void write(Path file, int width, int height, float[] values, boolean half) {
        if (values.length != width * height) {
            throw new IllegalArgumentException("values: " + values.length + " for " + width + "x" + height);
        }
        String dict = "{'descr': '" + (half ? "<f2" : "<f4") + "', 'fortran_order': False, 'shape': (" + height
                + ", " + width + "), }";
        // pad the header so the data starts on a 64-byte boundary, ending in a newline (numpy's rule)
        int total = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        int esize = half ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + esize * values.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float f : values) {
            if (half) {
                b.putShort(Half.fromFloat(f));
            } else {
                b.putFloat(f);
            }
        }
        AtomicFiles.write(file, b.array());
    }
}
