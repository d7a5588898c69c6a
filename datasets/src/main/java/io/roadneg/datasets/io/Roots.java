package io.roadneg.datasets.io;

import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.AccessDeniedException;
import java.io.IOException;
import io.roadneg.datasets.InputException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Resolves paths that come from data (a COCO {@code file_name}) or from options (a split name) inside the folder they
 * belong to, refusing absolute paths and {@code ..} steps that would read or write outside it. Symbolic links inside a
 * root are followed as the user laid them out.
 */
public final class Roots {
    private Roots() {
    }

    /**
     * {@code root} resolved with the relative path {@code relative}, refused when {@code relative} is empty, absolute,
     * or leaves {@code root}.
     *
     * @param file the file the value came from (for the message), or null for an option
     * @param field the field or option that held the value
     */
    public static Path inside(Path root, String relative, Path file, String field) {
        if (relative == null || relative.isEmpty()) {
            throw new InputException(file, field, relative, "must be a non-empty relative path");
        }
        if (relative.indexOf('\0') >= 0 || relative.startsWith("/") || relative.startsWith("\\")) {
            throw new InputException(file, field, relative, "must be a relative path inside " + root);
        }
        Path rel;
        try {
            rel = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new InputException(file, field, relative, "not a valid path: " + e.getReason());
        }
        if (rel.isAbsolute() || rel.getRoot() != null) {
            throw new InputException(file, field, relative, "must be a relative path inside " + root);
        }
        for (Path part : rel) {
            if ("..".equals(part.toString())) {
                throw new InputException(file, field, relative, "leaves " + root + " ('..' is not allowed)");
            }
        }
        Path out = root.resolve(rel).normalize();
        if (!out.startsWith(root.normalize())) {
            throw new InputException(file, field, relative, "leaves " + root);
        }
        return out;
    }

    /**
     * Creates the output folder {@code out} (and its parents), refusing with a one-line {@link InputException} that
     * gives the reason when {@code out} is a file or cannot be created (exit 2: the user named a bad folder).
     *
     * @param option the option that named the folder ({@code --out})
     */
    public static Path createFolder(Path out, String option) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(null, option, out, "is a file, not a folder");
        }
        try {
            return Files.createDirectories(out);
        } catch (IOException e) {
            throw new InputException(null, option, out, "cannot create the folder: " + reason(e), e);
        }
    }

    /**
     * Refuses, before any work, an output folder that {@link #createFolder} could not make: {@code out} or its
     * nearest existing parent is a file, or that parent is not writable. Creates nothing (a run refused later for
     * its inputs leaves no empty folder behind).
     *
     * @param option the option that named the folder ({@code --out})
     */
    public static void checkFolder(Path out, String option) {
        Path abs = out.toAbsolutePath();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new InputException(null, option, out, "is a file, not a folder");
            }
            return;
        }
        Path up = abs.getParent();
        while (up != null && !Files.exists(up)) {
            up = up.getParent();
        }
        if (up == null) {
            return; // nothing exists up to the root: createFolder reports what the file system says
        }
        if (!Files.isDirectory(up)) {
            throw new InputException(null, option, out, "cannot create the folder: " + up + " is not a folder");
        }
        if (!Files.isWritable(up)) {
            throw new InputException(null, option, out, "cannot create the folder: permission denied in " + up);
        }
    }

    /** Why a file operation failed, in words (Java's messages for these often hold only the path). */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a folder";
        }
        if (e instanceof NotDirectoryException n) {
            return n.getFile() + " is not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * A single path element (a split or a method name): non-empty, no separator, not {@code .} or {@code ..}.
     *
     * @param file the file the value came from, or null for an option
     */
    public static String name(String value, Path file, String field) {
        if (value == null || value.isEmpty() || ".".equals(value) || "..".equals(value) || value.contains("/")
                || value.contains("\\") || value.indexOf('\0') >= 0) {
            throw new InputException(file, field, value, "must be a plain name (no '/', '\\\\', '.' or '..')");
        }
        return value;
    }
}
