package io.roadneg.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * Runs per-frame work (decode, label mapping, bucketing) on a fixed number of threads, each with its own state, and
 * hands the states back in worker order so the caller merges them in a fixed order. Frames are taken from a shared
 * counter; which worker gets which frame varies, so only order-free results (integer counts, results stored by frame
 * index) may be kept in the states.
 */
public final class FrameWorkers {
    private FrameWorkers() {
    }

    /**
     * Calls {@code work} once for every frame index in {@code 0..frames-1} on {@code threads} threads (the calling
     * thread when 1). When frames fail, the error of the lowest failing frame index is thrown, so the message does
     * not depend on timing.
     */
    public static <S> List<S> run(int frames, int threads, Supplier<S> newState, ObjIntConsumer<S> work) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        int n = Math.min(threads, Math.max(frames, 1));
        List<S> states = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            states.add(newState.get());
        }
        AtomicInteger next = new AtomicInteger();
        Throwable[] errors = new Throwable[frames];
        AtomicInteger failed = new AtomicInteger(Integer.MAX_VALUE);
        Runnable[] loops = new Runnable[n];
        for (int w = 0; w < n; w++) {
            S state = states.get(w);
            loops[w] = () -> {
                for (int f = next.getAndIncrement(); f < frames; f = next.getAndIncrement()) {
                    if (f > failed.get()) {
                        return; // a lower frame already failed: its error is the one reported
                    }
                    try {
                        work.accept(state, f);
                    } catch (RuntimeException | Error e) {
                        // kept, not left to kill the thread: a dead worker would silently drop its frames
                        errors[f] = e;
                        failed.accumulateAndGet(f, Math::min);
                    }
                }
            };
        }
        if (n == 1) {
            loops[0].run();
        } else {
            Thread[] ts = new Thread[n];
            for (int w = 0; w < n; w++) {
                ts[w] = new Thread(loops[w], "eval-frames-" + w);
                ts[w].start();
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while evaluating frames", e);
                }
            }
        }
        int f = failed.get();
        if (f != Integer.MAX_VALUE) {
            if (errors[f] instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) errors[f];
        }
        return states;
    }
}
