package io.roadneg.datasets.image;

import com.intel.gkl.compression.IntelInflater;

/**
 * Raw deflate decoding by ISA-L's igzip inflate (Intel's Intelligent Storage Acceleration Library), called through
 * the {@code IntelInflater} of Intel's Genomics Kernel Library, the same native library as {@link IsalDeflate}. On
 * 2048x1024 street frames it inflates in about half the time of the JDK's zlib (12 against 25 ms).
 *
 * <p>Used in one way only, the way that is safe with GKL's wrapper and with files from anywhere: the whole
 * compressed stream in one array, one call, an output array of exactly the expected size. The wrapper checks offsets
 * and lengths against both arrays before the native call; ISA-L never writes past the output length it is given and
 * refuses back-references before the start of the output (it is fuzzed upstream, with a differential target against
 * zlib; our own differential test feeds it mutated streams beside the JDK's inflater). GKL's wrapper does not track
 * how much input a call consumed, so this class never calls it twice on one stream.
 *
 * <p>Loaded with {@link IsalDeflate} (so {@code ROADNEG_NO_ISAL=1} turns both off) and checked by a round trip
 * before first use; where it is not {@link #available()}, callers inflate with the JDK.
 */
final class IsalInflate {
    private static final class Loaded {
        static final String ERROR = load();
    }

    private IsalInflate() {
    }

    /** True when the native inflater is loaded and passed its round trip in this process. */
    static boolean available() {
        return Loaded.ERROR == null;
    }

    /** Why {@link #available()} is false (one line), or null. */
    static String error() {
        return Loaded.ERROR;
    }

    /**
     * Inflates the raw deflate data {@code z[off, off + len)} into {@code out[0, outLen)} and returns how many bytes
     * were written: {@code outLen} when the stream holds at least that many (what follows is not read), fewer when the
     * stream or the input ends first. A malformed stream throws {@link CorruptStreamException} with ISA-L's reason.
     * Only for {@link #available()}; {@code len} must be at least 1.
     */
    static int inflate(byte[] z, int off, int len, byte[] out, int outLen) {
        if (len < 1) {
            throw new IllegalArgumentException("no input to inflate");
        }
        IntelInflater inf = new IntelInflater(true);
        try {
            inf.setInput(z, off, len);
            return inf.inflate(out, 0, outLen);
        } catch (RuntimeException e) {
            if (e.getClass() == RuntimeException.class) {
                // how GKL reports ISA-L's error codes (invalid block, symbol, lookback distance)
                throw new CorruptStreamException(e.getMessage());
            }
            throw e;
        } finally {
            inf.end();
        }
    }

    /** ISA-L refused the stream; the message is its reason. */
    static final class CorruptStreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptStreamException(String message) {
            super(message, null, false, false);
        }
    }

    private static String load() {
        if (!IsalDeflate.available()) {
            return IsalDeflate.error();
        }
        try {
            if (!new IntelInflater(true).load(null)) {
                return "GKL IntelInflater did not initialise";
            }
            // a round trip through the JDK's deflater: a library that loads but misbehaves is never used
            byte[] probe = new byte[4096];
            for (int i = 0; i < probe.length; i++) {
                probe[i] = (byte) (i * 7 % 251 + (i >> 9));
            }
            java.util.zip.Deflater d = new java.util.zip.Deflater(6, true);
            byte[] z = new byte[probe.length + 64];
            int zLen;
            try {
                d.setInput(probe);
                d.finish();
                zLen = d.deflate(z);
            } finally {
                d.end();
            }
            byte[] back = new byte[probe.length];
            int got = inflate(z, 0, zLen, back, back.length);
            if (got != probe.length || !java.util.Arrays.equals(back, probe)) {
                return "ISA-L inflate round trip failed";
            }
            return null;
        } catch (Exception | LinkageError e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
        }
    }
}
