package io.roadneg.datasets.image;

import com.intel.gkl.compression.IntelDeflater;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Fast zlib streams for photographs: the raw deflate of ISA-L's igzip (Intel's Intelligent Storage Acceleration
 * Library), called through the {@code IntelDeflater} of Intel's Genomics Kernel Library (GKL, the deflater GATK and
 * htsjdk use for BAM files), wrapped here in the zlib header and Adler-32 trailer a PNG needs. On 2048x1024 street
 * frames (UP-filtered rows) it compresses about 3.5x as fast as zlib level 1 for files about 6 % larger.
 *
 * <p>GKL ships its native library for Linux and macOS on x86_64 only. It is extracted once into the same versioned
 * cache folder as OpenCV's ({@link NativeCache}), loaded from there and registered with GKL's loader, so no
 * process unpacks it again; where it cannot load, {@link #available()} is false, {@link #status()} says why, and
 * callers use zlib. The output of a given input is the same in every process and thread of a machine; it is not
 * promised to equal another machine's bit for bit (nor is zlib's: distributions ship different zlib builds), but
 * it always decodes to the same pixels.
 */
final class IsalDeflate {
    /**
     * GKL's level: its levels 1 and 2 run igzip; on the sample frames level 2 writes files about 5 % smaller than
     * level 1 at the same speed (3.66-3.90 MB against 3.79-4.05 MB, zlib level 1 3.46-3.63 MB).
     */
    static final int GKL_LEVEL = 2;
    private static final String LIBRARY = "gkl_compression";
    /** Held here: java.util.logging keeps loggers weakly, and a collected logger would forget its level. */
    private static final java.util.logging.Logger GKL_LOG = java.util.logging.Logger.getLogger("com.intel.gkl");

    private static final class Loaded {
        static final String ERROR = load();
    }

    private IsalDeflate() {
    }

    /** True when the native deflater is loaded and usable in this process. */
    static boolean available() {
        return Loaded.ERROR == null;
    }

    /** Why {@link #available()} is false (one line), or null. */
    static String error() {
        return Loaded.ERROR;
    }

    /** "ISA-L igzip through GKL IntelDeflater" or why it is not used. */
    static String status() {
        String e = Loaded.ERROR;
        return e == null ? "ISA-L igzip (Intel GKL IntelDeflater, level " + GKL_LEVEL + ")"
                : "zlib (ISA-L not used: " + e + ")";
    }

    /** The most bytes {@link #compress} may write for {@code rawLen} input bytes ({@link #fits} must hold). */
    static int bound(int rawLen) {
        return Math.toIntExact(longBound(rawLen));
    }

    /** True when the output buffer for {@code rawLen} input bytes fits a Java array. */
    static boolean fits(int rawLen) {
        return longBound(rawLen) <= Integer.MAX_VALUE - 16;
    }

    private static long longBound(int rawLen) {
        return (long) rawLen + (rawLen >>> 3) + (1 << 16) + 6;
    }

    /**
     * A complete zlib stream (header, igzip's raw deflate, Adler-32) of {@code raw[0, rawLen)} into {@code out},
     * which must hold {@link #bound(int)} bytes; returns its length. Only for {@link #available()}.
     */
    static int compress(byte[] raw, int rawLen, byte[] out) {
        return compress(raw, rawLen, out, ZlibAdler.of(raw, 0, rawLen));
    }

    /**
     * {@link #compress(byte[], int, byte[])} with the Adler-32 of {@code raw[0, rawLen)} summed by the caller (as it
     * made the bytes).
     */
    static int compress(byte[] raw, int rawLen, byte[] out, int adler) {
        if (out.length < bound(rawLen)) {
            throw new IllegalArgumentException("output buffer of " + out.length + " bytes, need " + bound(rawLen));
        }
        if (rawLen == 0) {
            // igzip refuses an empty input: the empty stream is a final fixed-Huffman block with no symbol
            out[0] = 0x78;
            out[1] = 0x01;
            out[2] = 0x03;
            out[3] = 0x00;
            putInt(out, 4, adler);
            return 8;
        }
        // GKL reads its input from index 0 and writes its output from index 0: compress, then shift by the header
        IntelDeflater d = new IntelDeflater(GKL_LEVEL, true);
        int n;
        try {
            d.setInput(raw, 0, rawLen);
            d.finish();
            n = d.deflate(out, 0, out.length - 6);
            if (!d.finished()) {
                throw new IllegalStateException("igzip did not finish " + rawLen + " bytes in " + out.length);
            }
        } finally {
            d.end();
        }
        System.arraycopy(out, 0, out, 2, n);
        out[0] = 0x78; // deflate, 32 KiB window
        out[1] = 0x01; // fastest, no dictionary; 0x7801 is a multiple of 31
        putInt(out, 2 + n, adler);
        return n + 6;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Loads the native library once; null on success, else the reason (one line). */
    private static String load() {
        if ("1".equals(System.getenv("ROADNEG_NO_ISAL"))) {
            return "ROADNEG_NO_ISAL=1";
        }
        String resource = bundledResource();
        if (resource == null) {
            return "GKL has no native library for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch");
        }
        try {
            Path lib;
            try {
                lib = NativeCache.extract(IntelDeflater.class, resource, "gkl-", NativeCache.dir());
            } catch (java.io.IOException e) {
                lib = null; // an unwritable cache folder: GKL's own loader unpacks into the temporary folder instead
            }
            if (lib != null) {
                System.load(lib.toAbsolutePath().toString());
                // GKL's loader would unpack the library into a new temporary file: tell it the library is loaded
                Class<?> loader = Class.forName("com.intel.gkl.NativeLibraryLoader");
                Field f = loader.getDeclaredField("loadedLibraries");
                f.setAccessible(true);
                @SuppressWarnings("unchecked")
                Set<String> loaded = (Set<String>) f.get(null);
                synchronized (loader) {
                    loaded.add(LIBRARY);
                }
            }
            // GKL logs through commons-logging (java.util.logging here): its INFO lines are not for our users
            GKL_LOG.setLevel(java.util.logging.Level.WARNING);
            if (!new IntelDeflater(GKL_LEVEL, true).load(null)) {
                return "GKL IntelDeflater did not initialise";
            }
            // a round trip, so a library that loads but misbehaves is never used
            byte[] probe = "roadneg igzip probe roadneg igzip probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] z = new byte[bound(probe.length)];
            int zLen = compress(probe, probe.length, z);
            java.util.zip.Inflater inf = new java.util.zip.Inflater();
            try {
                inf.setInput(z, 0, zLen);
                byte[] back = new byte[probe.length + 1];
                int got = inf.inflate(back);
                if (got != probe.length || !inf.finished()
                        || !java.util.Arrays.equals(back, 0, got, probe, 0, probe.length)) {
                    return "igzip round trip failed";
                }
            } finally {
                inf.end();
            }
            return null;
        } catch (Exception | LinkageError e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
        }
    }

    /** GKL's jar path of the compression library for this OS and architecture, or null. */
    private static String bundledResource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return null;
        }
        if (os.contains("linux")) {
            return "/com/intel/gkl/native/lib" + LIBRARY + ".so";
        }
        if (os.contains("mac")) {
            return "/com/intel/gkl/native/lib" + LIBRARY + ".dylib";
        }
        return null;
    }
}
