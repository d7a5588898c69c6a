package io.roadneg.datasets.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes files as temp file + rename in the same folder, so a reader (or a resumed run) sees either the old file or
 * the complete new one, never a torn one.
 *
 * <p>Temp files and folders are created with the default permissions, so outputs follow the umask like any other
 * tool's ({@code Files.createTempFile} would make every output 0600 and every folder 0700, unreadable to a team).
 */
public final class AtomicFiles {
    /** Prefix of temp files; a resumed run may delete leftovers that start with it. */
    public static final String TEMP_PREFIX = ".tmp-";

    /** Writes bytes to the stream; may throw IOException. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes the whole content. */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Temp names are a salt drawn once per process plus a counter, through a bijective mix: distinct within a process
     * by construction, and across processes as long as two salts are not within a run's file count of each other.
     * ({@code SecureRandom.nextLong} per file, as before, took a process-wide lock and a SHA-1 round in every call,
     * seven times an item, and its SHA code was among the methods the optimizing compiler spent its time on.)
     */
    static final long SALT = new SecureRandom().nextLong();
    static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {
    }

    /** {@code prefix} plus a suffix unique among concurrent writers of the same target. */
    static String tempName(String prefix) {
        return prefix + "." + Long.toUnsignedString(mix(SALT + COUNTER.incrementAndGet()), 36);
    }

    /** SplittableRandom's 64-bit finaliser (Stafford's variant 13): a bijection of the longs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * Creates a new empty folder {@code prefix + random} in {@code parent} with the default permissions (the umask
     * applies), unlike {@code Files.createTempDirectory}, which makes it 0700.
     */
    public static Path createTempDirectory(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        return createFresh(parent, prefix, Files::createDirectory);
    }

    /** Makes a new entry (folder or file) at a path; fails if something is there already. */
    @FunctionalInterface
    private interface Creation<T> {
        T at(Path path) throws IOException;
    }

    /**
     * {@code create} at {@code dir/prefix.SUFFIX} ({@link #tempName}), with another suffix while the name is taken (by
     * another process: a name is never given twice in one).
     */
    private static <T> T createFresh(Path dir, String prefix, Creation<T> create) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return create.at(dir.resolve(tempName(prefix)));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** A temp file just created, and its stream. */
    private record TempFile(Path path, OutputStream out) {
    }

    /**
     * Creates {@code dir} and its parents unless it is a folder already. {@code Files.createDirectories} on an existing
     * folder makes a {@code mkdir} call that fails and throws two exceptions with their stack traces before it checks
     * the folder (seven times an item in a paste run); one {@code stat} answers the common case.
     */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
    }

    /**
     * Renames {@code from} over {@code to} atomically where the file system can, else with a plain replacing move.
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code bytes} to {@code target} atomically, creating parent folders. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Writes through {@code writer} to a temp file beside {@code target}, then renames it over {@code target}. */
    public static void write(Path target, StreamWriter writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            ensureDirectory(dir);
            TempFile t = createFresh(dir, TEMP_PREFIX + abs.getFileName(), p -> new TempFile(p,
                    Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)));
            tmp = t.path();
            try (OutputStream o = t.out()) {
                writer.write(o);
            }
            move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; the leftover temp file is cleaned by a resumed run
                }
            }
        }
    }
}
