package io.roadneg.datasets.image;

import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The largest image a decoder is allowed to allocate for, checked against the size a file's header declares before
 * any pixel is decoded: a 74-byte PNG can declare 50000x50000, and decoding it first would take gigabytes or overflow
 * an array size. The limit is {@value #DEFAULT_MAX_PIXELS} pixels (a 16384x8192 panorama; 4K is 8.3 M), changed with
 * the environment variable {@value #ENV} or the system property {@value #PROPERTY}.
 */
public final class ImageLimits {
    /** Default pixel limit: 16384 x 8192. */
    public static final long DEFAULT_MAX_PIXELS = 16384L * 8192L;
    /** Environment variable that sets the pixel limit. */
    public static final String ENV = "ROADNEG_MAX_PIXELS";
    /** System property that sets the pixel limit (wins over the environment variable). */
    public static final String PROPERTY = "roadneg.maxPixels";
    /** The hard ceiling: three bytes per pixel must still fit one Java array. */
    static final long HARD_MAX_PIXELS = (Integer.MAX_VALUE - 64) / 4;

    private static final int HEADER_BYTES = 256 * 1024;

    private ImageLimits() {
    }

    /** The pixel limit in force. */
    public static long maxPixels() {
        String s = System.getProperty(PROPERTY);
        String from = "-D" + PROPERTY;
        if (s == null) {
            s = System.getenv(ENV);
            from = ENV;
        }
        if (s == null || s.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new InputException(null, from, s, "must be a whole number of pixels");
        }
        if (v < 1 || v > HARD_MAX_PIXELS) {
            throw new InputException(null, from, s, "must be 1.." + HARD_MAX_PIXELS);
        }
        return v;
    }

    /**
     * Refuses a declared size that is not positive or is over the pixel limit, naming the file.
     *
     * @throws ImageTooLargeException when width x height is over the limit
     * @throws InputException when a side is zero or negative
     */
    public static void check(long width, long height, Path file) {
        if (width < 1 || height < 1) {
            throw new InputException(file, "size", width + "x" + height, "the header declares an empty image");
        }
        long max = maxPixels();
        if (width * height > max) {
            throw new ImageTooLargeException(file, width, height, max);
        }
    }

    /** Checks the size declared in the header of a PNG, JPEG or WebP held in {@code bytes}; no-op if none is found. */
    public static void checkHeader(byte[] bytes, Path file) {
        long[] wh = ImageHeaders.declaredSize(bytes);
        if (wh != null) {
            check(wh[0], wh[1], file);
        }
    }

    /**
     * Checks the size declared in the header of an image file, reading only its first bytes (up to 256 KiB, enough
     * for a JPEG frame header after large metadata).
     */
    public static void checkFile(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEADER_BYTES);
        } catch (NoSuchFileException e) {
            throw new InputException(file, null, null, "file not found");
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + e.getMessage(), e);
        }
        checkHeader(head, file);
    }

    /** An image whose declared size is over the pixel limit: a per-item problem that runs report and skip. */
    public static final class ImageTooLargeException extends InputException {
        private static final long serialVersionUID = 1L;

        ImageTooLargeException(Path file, long width, long height, long max) {
            super(file, "size", width + "x" + height, "declared size of " + width * height
                    + " pixels is over the pixel limit of " + max + " (set " + ENV + " to raise it)");
        }
    }
}
