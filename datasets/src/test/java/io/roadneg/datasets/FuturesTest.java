package io.roadneg.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A task's failure reaches the caller as it was thrown. */
class FuturesTest {
    private static <T> Future<T> failed(Throwable t) {
        CompletableFuture<T> f = new CompletableFuture<>();
        f.completeExceptionally(t);
        return f;
    }

    @Test
    void failuresComeBackUnwrapped() throws IOException {
        assertEquals("ok", Futures.join(CompletableFuture.completedFuture("ok")));
        InputException input = new InputException(null, "--x", 1, "bad");
        assertSame(input, assertThrows(InputException.class, () -> Futures.join(failed(input))));
        IOException io = new IOException("disk");
        assertSame(io, assertThrows(IOException.class, () -> Futures.join(failed(io))));
        assertSame(io, assertThrows(UncheckedIOException.class, () -> Futures.get(failed(io))).getCause());
        StackOverflowError err = new StackOverflowError();
        assertSame(err, assertThrows(StackOverflowError.class, () -> Futures.get(failed(err))));
        Exception other = new Exception("checked");
        assertSame(other, assertThrows(IllegalStateException.class, () -> Futures.get(failed(other))).getCause());
    }

    @Test
    void anInterruptKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(IllegalStateException.class, () -> Futures.get(new CompletableFuture<String>()));
            assertTrue(Thread.interrupted(), "the interrupt flag is kept (and cleared here)");
        } finally {
            Thread.interrupted();
        }
    }
}
