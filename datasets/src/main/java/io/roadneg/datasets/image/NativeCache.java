package io.roadneg.datasets.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The folder where native libraries bundled in jars (OpenCV's, ISA-L's) are extracted once and loaded from by later
 * processes, instead of being unpacked into a new temporary folder on every start: {@code $ROADNEG_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/roadneg}, else {@code ~/.cache/roadneg}.
 */
final class NativeCache {
    private NativeCache() {
    }

    /** The cache folder. */
    static Path dir() {
        String own = System.getenv("ROADNEG_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "roadneg");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "roadneg");
    }

    /**
     * The class-path resource of {@code anchor}'s class loader extracted into {@code cacheRoot/PREFIX-NAME-SIZE/}
     * (done once: a file of the right size already there is reused); null when the resource does not exist.
     */
    static Path extract(Class<?> anchor, String resource, String prefix, Path cacheRoot) throws IOException {
        URL url = anchor.getResource(resource);
        if (url == null) {
            return null;
        }
        URLConnection c = url.openConnection();
        long size = c.getContentLengthLong();
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        // versioned by library name (opencv_java490) and its size in the jar
        Path dir = cacheRoot.resolve(prefix + file.replaceAll("\\W", "_") + "-" + size);
        Path lib = dir.resolve(file);
        if (Files.isRegularFile(lib) && Files.size(lib) == size) {
            return lib;
        }
        Files.createDirectories(dir);
        // a plain new file (not createTempFile, which is owner-only): the library follows the umask
        Path tmp = dir.resolve(".tmp-" + file + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        // another process may have finished the same file first: the move replaces it with equal bytes
        Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return lib;
    }
}
