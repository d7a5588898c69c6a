package io.roadneg.datasets.image;

/** Loads the OpenCV native library bundled in the openpnp jar, once, without any download. */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    /** Loads OpenCV if not yet loaded; safe to call from many threads. */
    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    nu.pattern.OpenCV.loadLocally();
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
}
