package io.roadneg.datasets.image;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.commons.imaging.ImageInfo;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.formats.png.AbstractPngText;
import org.apache.commons.imaging.formats.png.PngImageInfo;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Reads and writes images and label maps exactly.
 *
 * <p>Decoders are chosen from the file's bytes: {@link PngDecoder} (the JDK's zlib, no copies) for 8-bit RGB and
 * 8/16-bit gray PNGs that are not interlaced; OpenCV for other RGB PNGs, JPEG and the remaining 8/16-bit gray labels
 * (values preserved); {@code javax.imageio} rasters for palette and low-bit-depth PNG labels, whose indices OpenCV
 * would turn into colours. Commons Imaging is used only for metadata and PNG text chunks: it gamma-converts gray and
 * truncates 16-bit samples, so it never decodes a label.
 *
 * <p>PNGs are encoded by {@link PngEncoder} (straight from the buffers, the JDK's zlib, or a run-length deflate for
 * label maps at level 1; exact for 8- and 16-bit)
 * with provenance as {@code iTXt} chunks right after IHDR; writes are atomic.
 */
public final class Images {
    /** Default PNG zlib level: 1 is several times faster than 9 for ~10-20% larger files on street scenes. */
    public static final int DEFAULT_PNG_LEVEL = 1;

    private Images() {
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PRELOADING =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Starts loading the native libraries a pixel job needs (OpenCV, and ISA-L's deflate and inflate) on a daemon
     * thread, so the 60-90 ms they take overlap the job's own start (configuration, source index, file listing)
     * instead of delaying its first item. Whoever uses a library first still waits for it: loading is the same
     * idempotent, thread-safe step whichever thread gets there first; a failure here is left for that use to report.
     * Only the first call in a process starts the thread (`gen paste` calls it before and after parsing its options).
     */
    public static void preloadNatives() {
        if (!PRELOADING.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                OpenCv.ensureLoaded();
            } catch (RuntimeException | LinkageError e) {
                // reported by the first real use, which loads again
            }
            IsalInflate.available(); // loads ISA-L's deflate first; never throws
        }, "native-preload");
        t.setDaemon(true);
        t.start();
    }

    /**
     * What inflates the PNGs our own decoder reads, in this process: ISA-L where GKL's native library loads (about
     * twice zlib's speed on street frames), else the JDK's zlib, with the reason.
     */
    public static String pngInflateStatus() {
        String e = IsalInflate.error();
        return e == null ? "ISA-L igzip inflate (Intel GKL IntelInflater), checked by the zlib trailer"
                : "zlib (ISA-L not used: " + e + ")";
    }

    /** True when {@link #pngInflateStatus()} names ISA-L. */
    public static boolean pngInflateFast() {
        return IsalInflate.available();
    }

    /** Reads a file's bytes, turning a missing file into an {@link InputException}. */
    public static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads an RGB image (PNG, JPEG or WebP; gray files are expanded to RGB). */
    public static RgbImage readRgb(Path file) {
        return decodeRgb(readBytes(file), file);
    }

    /**
     * As {@link #readRgb(Path)}, decoding into {@code into} when the file is one {@link PngDecoder} reads and the
     * array has exactly the image's size (a worker reusing one buffer for frame after frame); else into a new array.
     * Such a PNG's bytes are read into an array the thread keeps for its next file ({@link #readReused}), not into a
     * new one.
     */
    public static RgbImage readRgb(Path file, byte[] into) {
        FileBytes f = readReused(file);
        if (f.isPng()) {
            PngHeader hdr = f.pngHeader(file);
            if (hdr.colorType() == PngHeader.RGB && PngDecoder.supports(f.bytes, f.length, hdr)) {
                return PngDecoder.rgb(f.bytes, f.length, hdr, file, into, IsalInflate.available());
            }
        }
        return decodeRgb(f.copy(), file, into);
    }

    /** A file's bytes at the start of {@code bytes}, which may be longer (a thread's reused array). */
    private record FileBytes(byte[] bytes, int length) {
        /** True for a PNG (its signature) that ends with its IEND chunk; {@link #pngHeader} checks its size. */
        boolean isPng() {
            return length >= 64 && ImageFormat.sniff(bytes) == ImageFormat.PNG && endsWithIend(bytes, length);
        }

        /** The header of a file {@link #isPng}, its declared size checked against the pixel limit. */
        PngHeader pngHeader(Path file) {
            PngHeader hdr = PngHeader.parse(bytes, file); // the first 33 bytes: within length
            ImageLimits.check(hdr.width(), hdr.height(), file);
            return hdr;
        }

        /** The bytes in an array of their own (for the decoders that read a whole array). */
        byte[] copy() {
            return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
        }
    }

    /** Largest array a thread keeps for reading its next file ({@link #readReused}). */
    private static final int REUSED_BYTES = 32 << 20;
    private static final ThreadLocal<byte[][]> READ = ThreadLocal.withInitial(() -> new byte[1][]);

    /**
     * Reads a file into the thread's reused array (grown as needed; kept up to {@link #REUSED_BYTES}): a worker
     * reads a frame's PNG after the other without a new array of some megabytes each time, which the collector would
     * then have to clear away. The bytes are valid until the thread's next read.
     */
    private static FileBytes readReused(Path file) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new InputException(file, "size", size + " bytes", "too large to read");
            }
            byte[][] slot = READ.get();
            byte[] b = slot[0] != null && slot[0].length >= size + 1 ? slot[0] : new byte[(int) size + 1];
            if (b.length <= REUSED_BYTES) {
                slot[0] = b;
            }
            // read to the end (one byte of room more than the size: a file that grew is read whole, or refused)
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // keep reading
            }
            if (!buf.hasRemaining()) {
                byte[] all = readBytes(file); // the file grew while it was read: the plain way
                return new FileBytes(all, all.length);
            }
            return new FileBytes(b, buf.position());
        } catch (NoSuchFileException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Decodes an RGB image from bytes; {@code file} names the source in errors. */
    public static RgbImage decodeRgb(byte[] bytes, Path file) {
        return decodeRgb(bytes, file, null);
    }

    private static RgbImage decodeRgb(byte[] bytes, Path file, byte[] into) {
        ImageFormat fmt = ImageFormat.sniff(bytes);
        ImageLimits.checkHeader(bytes, file);
        switch (fmt) {
            case PNG -> {
                checkPngComplete(bytes, file);
                PngHeader hdr = PngHeader.parse(bytes, file);
                if (hdr.colorType() == PngHeader.RGB && PngDecoder.supports(bytes, hdr)) {
                    return PngDecoder.rgb(bytes, hdr, file, into);
                }
            }
            case JPEG -> checkJpegComplete(bytes, file);
            case WEBP -> {
                return decodeWithImageIo(bytes, file);
            }
            default -> throw new InputException(file, null, null, "not a PNG, JPEG or WebP image");
        }
        OpenCv.ensureLoaded();
        Mat bgr = Imgcodecs.imdecode(new MatOfByte(bytes), Imgcodecs.IMREAD_COLOR);
        try {
            if (bgr.empty()) {
                throw new InputException(file, null, null, "cannot decode image (corrupt or truncated)");
            }
            return Mats.toRgb(bgr);
        } finally {
            bgr.release();
        }
    }

    private static RgbImage decodeWithImageIo(byte[] bytes, Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, null, null, "cannot decode image (corrupt or truncated): " + e.getMessage(),
                    e);
        }
        if (img == null) {
            throw new InputException(file, null, null, "no decoder for this image");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            out[i * 3] = (byte) (argb[i] >>> 16);
            out[i * 3 + 1] = (byte) (argb[i] >>> 8);
            out[i * 3 + 2] = (byte) argb[i];
        }
        return new RgbImage(w, h, out);
    }

    /**
     * Reads a single-channel label PNG (8- or 16-bit gray, palette indices, or 1/2/4-bit gray) with values exact.
     * An RGB PNG is refused: colour-coded labels must be decoded by their dataset's rule.
     */
    public static LabelMap readLabel(Path file) {
        return decodeLabel(readBytes(file), file);
    }

    /**
     * As {@link #readLabel(Path)}, decoding into {@code into} when the file is one {@link PngDecoder} reads and the
     * array has exactly the map's size; else into a new array.
     */
    public static LabelMap readLabel(Path file, int[] into) {
        return decodeLabel(readBytes(file), file, into, null, false);
    }

    /**
     * As {@link #readLabel(Path)}, but an 8- or 16-bit gray PNG comes back as a map stored as its samples ({@link
     * LabelMap#ofBytes}, {@link LabelMap#ofBytes16}), decoded into {@code into} when it has exactly their size; any
     * other label file as {@link #readLabel(Path)} reads it. For code that works on the samples (a paste job: its
     * label files are decoded and encoded again without widening every value).
     */
    public static LabelMap readLabelCompact(Path file, byte[] into) {
        FileBytes f = readReused(file);
        if (f.isPng()) {
            PngHeader hdr = f.pngHeader(file);
            if (hdr.colorType() == PngHeader.GRAY && (hdr.bitDepth() == 8 || hdr.bitDepth() == 16)
                    && PngDecoder.supports(f.bytes, f.length, hdr)) {
                return PngDecoder.graySamples(f.bytes, f.length, hdr, file, into, IsalInflate.available());
            }
        }
        return decodeLabel(f.copy(), file, null, into, true);
    }

    /** Decodes a single-channel label PNG from bytes; {@code file} names the source in errors. */
    public static LabelMap decodeLabel(byte[] bytes, Path file) {
        return decodeLabel(bytes, file, null, null, false);
    }

    /**
     * The label map of a PNG's bytes, decoded into {@code into} (ints) or, with {@code samples} and a file our
     * decoder reads, stored as its samples in {@code samplesInto} (each reused when it has exactly the size).
     */
    private static LabelMap decodeLabel(byte[] bytes, Path file, int[] into, byte[] samplesInto, boolean samples) {
        PngHeader hdr = PngHeader.parse(bytes, file);
        ImageLimits.check(hdr.width(), hdr.height(), file);
        checkPngComplete(bytes, file);
        if (!hdr.singleChannel()) {
            throw new InputException(file, "colorType", hdr.colorType(),
                    "label PNG must be gray or palette (one value per pixel), not colour");
        }
        if (PngDecoder.supports(bytes, hdr)) {
            return samples ? PngDecoder.graySamples(bytes, hdr, file, samplesInto)
                    : PngDecoder.gray(bytes, hdr, file, into);
        }
        if (hdr.colorType() == PngHeader.GRAY && (hdr.bitDepth() == 8 || hdr.bitDepth() == 16)) {
            OpenCv.ensureLoaded();
            Mat m = Imgcodecs.imdecode(new MatOfByte(bytes), Imgcodecs.IMREAD_UNCHANGED);
            try {
                if (m.empty() || m.channels() != 1) {
                    throw new InputException(file, null, null, "cannot decode label PNG (corrupt or truncated)");
                }
                return Mats.toLabel(m);
            } finally {
                m.release();
            }
        }
        return decodeRasterLabel(bytes, file);
    }

    private static LabelMap decodeRasterLabel(byte[] bytes, Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, null, null, "cannot decode label PNG: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new InputException(file, null, null, "cannot decode label PNG");
        }
        Raster r = img.getRaster();
        int w = r.getWidth();
        int h = r.getHeight();
        int[] data = r.getSamples(0, 0, w, h, 0, new int[w * h]);
        return new LabelMap(w, h, data);
    }

    /** Reads an RGB-coded map (COCO panoptic, full ADE20K {@code _seg.png}) as packed 0xRRGGBB per pixel. */
    public static LabelMap readPackedRgb(Path file) {
        RgbImage img = readRgb(file);
        int[] out = new int[img.width() * img.height()];
        byte[] d = img.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = (d[i * 3] & 0xff) << 16 | (d[i * 3 + 1] & 0xff) << 8 | (d[i * 3 + 2] & 0xff);
        }
        return new LabelMap(img.width(), img.height(), out);
    }

    private static void checkPngComplete(byte[] b, Path file) {
        if (!endsWithIend(b, b.length)) {
            throw new InputException(file, null, null, "truncated PNG (no IEND chunk at the end)");
        }
    }

    /** Whether the file of {@code n} bytes at {@code b}'s start ends with the IEND chunk, as a complete PNG does. */
    private static boolean endsWithIend(byte[] b, int n) {
        // the IEND chunk: length 0, "IEND", CRC AE 42 60 82
        return n >= 12 && b[n - 8] == 'I' && b[n - 7] == 'E' && b[n - 6] == 'N' && b[n - 5] == 'D';
    }

    private static void checkJpegComplete(byte[] b, Path file) {
        // libjpeg decodes a truncated file into a grey-filled image with only a warning: refuse it up front
        int n = b.length;
        int end = n;
        while (end > 2 && b[end - 1] == 0) {
            end--; // some writers pad after EOI
        }
        if (end < 4 || (b[end - 2] & 0xff) != 0xFF || (b[end - 1] & 0xff) != 0xD9) {
            throw new InputException(file, null, null, "truncated JPEG (no end-of-image marker)");
        }
    }

    /** Image size and sample layout from the header only (Commons Imaging), without decoding pixels. */
    public static ImageInfo info(Path file) {
        try {
            return Imaging.getImageInfo(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, null, null, "cannot read image header: " + e.getMessage(), e);
        }
    }

    /** The PNG text chunks (tEXt, zTXt, iTXt) of a file, keyword to text, read with Commons Imaging. */
    public static Map<String, String> readPngText(Path file) {
        ImageInfo info = info(file);
        Map<String, String> out = new LinkedHashMap<>();
        if (info instanceof PngImageInfo png) {
            List<AbstractPngText> chunks = png.getTextChunks();
            for (AbstractPngText t : chunks) {
                out.put(t.keyword, t.text);
            }
        }
        return out;
    }

    /**
     * Writes an RGB PNG atomically at the given level with the given text chunks (may be empty), streaming the
     * compressed data to the file (no encoded copy in memory); level 1 goes through ISA-L where it loads
     * ({@link PngEncoder.Codec#ISAL}).
     */
    public static void writePng(Path file, RgbImage img, int level, Map<String, String> text) {
        writePng(file, img, level, PngEncoder.Codec.ISAL, text);
    }

    /** Writes an RGB PNG atomically, its level-1 deflate chosen by {@code codec}. */
    public static void writePng(Path file, RgbImage img, int level, PngEncoder.Codec codec, Map<String, String> text) {
        AtomicFiles.write(file, out -> PngEncoder.writeRgb(out, img.width(), img.height(), img.data(), level, codec,
                PngEncoder.Filter.UP, text));
    }

    /**
     * Writes a label PNG atomically: 8-bit gray if every value is 0..255, else 16-bit gray; values 0..65535 only. A
     * map stored as bytes is written from its bytes (the same file).
     */
    public static void writePng(Path file, LabelMap label, int level, Map<String, String> text) {
        byte[] b = label.bytes();
        if (b != null) {
            writeSamples(file, label, b, 1, null, level, text);
            return;
        }
        AtomicFiles.write(file, out -> PngEncoder.writeGray(out, label.width(), label.height(), label.data(), false,
                level, PngEncoder.Filter.UP, text));
    }

    /**
     * Writes the label PNG of the values {@code mapper} makes of {@code label} row by row, atomically, as
     * {@link #writePng(Path, LabelMap, int, Map)} writes a map (the mapped map is not stored whole on the usual
     * path).
     */
    public static void writePng(Path file, LabelMap label, PngEncoder.RowMapper mapper, int level,
            Map<String, String> text) {
        byte[] b = label.bytes();
        PngEncoder.ByteTable byteMapper = mapper.bytes();
        if (b != null && byteMapper != null) {
            writeSamples(file, label, b, 1, byteMapper, level, text);
            return;
        }
        AtomicFiles.write(file, out -> PngEncoder.writeGray(out, label.width(), label.height(), label.data(), mapper,
                false, level, PngEncoder.Filter.UP, text));
    }

    /**
     * Writes a label PNG atomically as 16-bit gray whatever its values (Cityscapes instanceIds); a map stored as
     * 16-bit samples is written from them (the same file).
     */
    public static void writePng16(Path file, LabelMap label, int level, Map<String, String> text) {
        byte[] b = label.bytes16();
        if (b != null) {
            writeSamples(file, label, b, 2, null, level, text);
            return;
        }
        AtomicFiles.write(file, out -> PngEncoder.writeGray(out, label.width(), label.height(), label.data(), true,
                level, PngEncoder.Filter.UP, text));
    }

    /** A label PNG written atomically from a map's samples ({@code bpp} bytes a value), mapped or not. */
    private static void writeSamples(Path file, LabelMap label, byte[] samples, int bpp, PngEncoder.ByteTable mapper,
            int level, Map<String, String> text) {
        AtomicFiles.write(file, out -> PngEncoder.writeGrayBytes(out, label.width(), label.height(), samples, bpp,
                mapper, level, PngEncoder.Filter.UP, text));
    }

    /** Encodes an RGB PNG ({@link PngEncoder}: UP filter; level 1 through ISA-L where it loads, else zlib). */
    public static byte[] encodePng(RgbImage img, int level, Map<String, String> text) {
        return encodePng(img, level, PngEncoder.Codec.ISAL, text);
    }

    /** Encodes an RGB PNG, its level-1 deflate chosen by {@code codec}. */
    public static byte[] encodePng(RgbImage img, int level, PngEncoder.Codec codec, Map<String, String> text) {
        return PngEncoder.rgb(img.width(), img.height(), img.data(), level, codec, PngEncoder.Filter.UP, text);
    }

    /** Encodes a label PNG (8-bit when all values fit, else 16-bit; values 0..65535 only). */
    public static byte[] encodePng(LabelMap label, int level, Map<String, String> text) {
        byte[] b = label.bytes();
        if (b != null) {
            return encodeSamples(label, b, 1, level, text);
        }
        return PngEncoder.gray(label.width(), label.height(), label.data(), false, level, PngEncoder.Filter.UP, text);
    }

    private static byte[] encodeSamples(LabelMap label, byte[] samples, int bpp, int level, Map<String, String> text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PngEncoder.writeGrayBytes(out, label.width(), label.height(), samples, bpp, null, level,
                    PngEncoder.Filter.UP, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    /** Encodes a label PNG as 16-bit gray whatever its values (Cityscapes instanceIds are always 16-bit). */
    public static byte[] encodePng16(LabelMap label, int level, Map<String, String> text) {
        byte[] b = label.bytes16();
        if (b != null) {
            return encodeSamples(label, b, 2, level, text);
        }
        return PngEncoder.gray(label.width(), label.height(), label.data(), true, level, PngEncoder.Filter.UP, text);
    }

    /** Encodes a JPEG at the given quality (0..100). */
    public static byte[] encodeJpeg(RgbImage img, int quality) {
        OpenCv.ensureLoaded();
        Mat bgr = Mats.fromRgb(img);
        MatOfByte buf = new MatOfByte();
        try {
            Imgcodecs.imencode(".jpg", bgr, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
            return buf.toArray();
        } finally {
            bgr.release();
            buf.release();
        }
    }

    /** Encodes a lossless WebP through OpenCV (RoadObstacle21 ships its images as WebP). */
    public static byte[] encodeWebp(RgbImage img) {
        OpenCv.ensureLoaded();
        Mat bgr = Mats.fromRgb(img);
        MatOfByte buf = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".webp", bgr, buf, new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, 101))) {
                throw new IllegalStateException("this OpenCV build cannot encode WebP");
            }
            return buf.toArray();
        } finally {
            bgr.release();
            buf.release();
        }
    }

    /** Wraps an IOException for callers that cannot throw it. */
    static UncheckedIOException unchecked(Path file, IOException e) {
        return new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
}
