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
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(parent.resolve(tempName(prefix)));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
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
            OutputStream out = null;
            for (int attempt = 0; out == null; attempt++) {
                tmp = dir.resolve(tempName(TEMP_PREFIX + abs.getFileName()));
                try {
                    out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    // another process's temp file of the same name: not ours to delete
                    tmp = null;
                    if (attempt > 100) {
                        throw e;
                    }
                }
            }
            try (OutputStream o = out) {
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
