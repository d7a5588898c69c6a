package io.roadneg.datasets.io;

import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an output folder, held for the length of a run, so that a second run on the same folder is
 * refused instead of doing the work twice and deleting the first run's temp files. The lock is an operating-system
 * lock on the file {@value #FILE}: it is released when the process ends, however it ends, so a crashed run leaves no
 * stale lock (the file stays, unlocked, and is reused).
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name inside the output folder. */
    public static final String FILE = ".roadneg.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code out} (created if missing) or refuses with an {@link InputException} naming the folder when another
     * live run holds it.
     *
     * @param option the option that named the folder ({@code --out}), for the message
     */
    public static OutputLock acquire(Path out, String option) {
        Path file = out.resolve(FILE);
        Roots.createFolder(out, option);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new InputException(null, option, out, "cannot write into the folder: " + Roots.reason(e), e);
        }
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this same process
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (l == null) {
            closeQuietly(ch);
            throw new InputException(null, option, out, "another run is writing into this folder (it holds " + FILE
                    + "); wait for it to finish or use another folder");
        }
        return new OutputLock(ch, l);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // a lock channel holds no data to lose
        }
    }
}
