package io.roadneg.datasets.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads the OpenCV native library bundled in the openpnp jar, once per process, without any download. The library
 * (65 MB on Linux x86_64) is extracted once into a versioned cache folder and loaded from there by later processes;
 * openpnp's own loader would unpack it into a new temporary folder on every start. Cache folder: {@link NativeCache};
 * where it cannot be written the openpnp loader is used instead. Platforms without a bundled library fall back to it
 * too.
 */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    /** Loads OpenCV if not yet loaded; safe to call from many threads. */
    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    if (!loadCached()) {
                        nu.pattern.OpenCV.loadLocally();
                    }
                    loaded = true;
                }
            }
        }
    }

    /** The OpenCV version string, loading the library first. */
    public static String version() {
        ensureLoaded();
        return org.opencv.core.Core.VERSION;
    }

    private static boolean loadCached() {
        String resource = bundledResource();
        if (resource == null) {
            return false;
        }
        try {
            Path lib = extract(resource, NativeCache.dir());
            if (lib == null) {
                return false;
            }
            System.load(lib.toAbsolutePath().toString());
            return true;
        } catch (IOException | SecurityException | UnsatisfiedLinkError e) {
            return false;
        }
    }

    /**
     * The class-path resource extracted into {@code cacheRoot/opencv-NAME-SIZE/} (done once: a file of the right size
     * already there is reused); null when the resource does not exist.
     */
    static Path extract(String resource, Path cacheRoot) throws IOException {
        return NativeCache.extract(OpenCv.class, resource, "opencv-", cacheRoot);
    }

    /** The jar path of the native library for this OS and architecture, or null when the jar has none. */
    private static String bundledResource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String name = org.opencv.core.Core.NATIVE_LIBRARY_NAME; // opencv_java490: plain Java, no native call
        if (os.contains("linux")) {
            String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                    : arch.equals("aarch64") ? "ARMv8" : null;
            return a == null ? null : "/nu/pattern/opencv/linux/" + a + "/lib" + name + ".so";
        }
        if (os.contains("mac")) {
            String a = arch.equals("aarch64") ? "ARMv8" : arch.equals("x86_64") || arch.equals("amd64") ? "x86_64"
                    : null;
            return a == null ? null : "/nu/pattern/opencv/osx/" + a + "/lib" + name + ".dylib";
        }
        return null; // Windows and others: openpnp's loader
    }
}
