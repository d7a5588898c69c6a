package io.roadneg.datasets.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Tiny hostile files made in the test: image headers that declare huge or impossible sizes in a few dozen bytes,
 * truncations, and deeply nested JSON / YAML. Nothing here is a committed blob.
 */
public final class Crafted {
    private Crafted() {
    }

    /** A PNG of signature, IHDR declaring {@code w x h} (raw 32-bit fields), one tiny IDAT and IEND. */
    public static byte[] png(int w, int h, int bitDepth, int colorType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = (byte) bitDepth;
        ihdr[9] = (byte) colorType;
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** An 8-bit RGB PNG header declaring {@code w x h}. */
    public static byte[] pngRgb(int w, int h) {
        return png(w, h, 8, 2);
    }

    /** An 8-bit gray PNG header declaring {@code w x h}. */
    public static byte[] pngGray(int w, int h) {
        return png(w, h, 8, 0);
    }

    /** A baseline JPEG whose frame header declares {@code w x h} (16-bit fields), with an end-of-image marker. */
    public static byte[] jpeg(int w, int h, boolean progressive) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        // an APP0 segment first, so the frame header is not at a fixed offset
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0,
            0});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) (progressive ? 0xC2 : 0xC0), 0, 17, 8, (byte) (h >> 8),
            (byte) h, (byte) (w >> 8), (byte) w, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    /** A WebP of the extended format (VP8X) declaring a {@code w x h} canvas (24-bit fields). */
    public static byte[] webpVp8x(int w, int h) {
        byte[] b = riff("VP8X", 10);
        le24(b, 24, w - 1);
        le24(b, 27, h - 1);
        return b;
    }

    /** A lossless WebP (VP8L) declaring {@code w x h} (14-bit fields). */
    public static byte[] webpVp8l(int w, int h) {
        byte[] b = riff("VP8L", 10);
        b[20] = 0x2f;
        long bits = (w - 1L) & 0x3FFF | ((h - 1L) & 0x3FFF) << 14;
        for (int i = 0; i < 4; i++) {
            b[21 + i] = (byte) (bits >>> (8 * i));
        }
        return b;
    }

    /** A lossy WebP (VP8) key frame declaring {@code w x h} (14-bit fields). */
    public static byte[] webpVp8(int w, int h) {
        byte[] b = riff("VP8 ", 14);
        b[23] = (byte) 0x9d;
        b[24] = 0x01;
        b[25] = 0x2a;
        b[26] = (byte) w;
        b[27] = (byte) ((w >> 8) & 0x3f);
        b[28] = (byte) h;
        b[29] = (byte) ((h >> 8) & 0x3f);
        return b;
    }

    private static byte[] riff(String chunk, int payload) {
        byte[] b = new byte[20 + payload + 8];
        System.arraycopy("RIFF".getBytes(StandardCharsets.ISO_8859_1), 0, b, 0, 4);
        le32(b, 4, b.length - 8);
        System.arraycopy("WEBP".getBytes(StandardCharsets.ISO_8859_1), 0, b, 8, 4);
        System.arraycopy(chunk.getBytes(StandardCharsets.ISO_8859_1), 0, b, 12, 4);
        le32(b, 16, payload + 8);
        return b;
    }

    /** The first {@code fraction} of {@code bytes}. */
    public static byte[] cut(byte[] bytes, double fraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
    }

    /** {@code depth} nested JSON arrays: {@code [[[...]]]}. */
    public static String nestedJsonArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** {@code depth} nested JSON objects under key {@code k}: {@code {"k":{"k":...}}}. */
    public static String nestedJsonObjects(int depth) {
        return "{\"k\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** {@code depth} nested YAML flow mappings: {@code {a: {a: ...}}}. */
    public static String nestedYaml(int depth) {
        return "{a: ".repeat(depth) + "1" + "}".repeat(depth) + "\n";
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        putInt(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void le24(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
    }

    private static void le32(byte[] b, int off, int v) {
        le24(b, off, v);
        b[off + 3] = (byte) (v >>> 24);
    }
}
