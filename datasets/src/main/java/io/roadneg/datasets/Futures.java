package io.roadneg.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for a pool task and rethrowing its failure as it was, so a worker's one-line {@link InputException} reaches
 * the command's error handler unchanged instead of wrapped in an {@link ExecutionException}.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * The task's result. Its unchecked exception or error is rethrown as it is, an {@link IOException} as the checked
     * exception it was, anything else wrapped in an {@link IllegalStateException}; an interrupt keeps the thread's
     * interrupt flag and ends in an {@link IllegalStateException}.
     */
    public static <T> T join(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a task", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(c);
        }
    }

    /** {@link #join} for callers that do not throw {@link IOException}: one is wrapped unchecked. */
    public static <T> T get(Future<T> f) {
        try {
            return join(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
