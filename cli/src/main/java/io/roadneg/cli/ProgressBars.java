package io.roadneg.cli;

import io.roadneg.datasets.Progress;
import java.io.Console;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr (me.tongfei progressbar) behind the library's {@link Progress} callback. On a terminal the
 * bar redraws in place; elsewhere (CI logs, pipes, files) it prints one whole line every {@link #LOG_INTERVAL_MS},
 * so a log gets a readable line every few seconds instead of thousands of carriage returns.
 */
final class ProgressBars {
    /** Milliseconds between two progress lines on a non-terminal. */
    static final int LOG_INTERVAL_MS = 5000;

    private ProgressBars() {
    }

    /** A progress callback that draws a bar on stderr; pass {@code quiet} to draw nothing. */
    static Progress stderr(boolean quiet) {
        return quiet ? Progress.NONE : to(System.err, terminal(), LOG_INTERVAL_MS);
    }

    /** Whether stderr is a terminal: a console is attached (and, on JDK 22+, it says it is a terminal). */
    static boolean terminal() {
        Console c = System.console();
        if (c == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console exists only on a terminal
        }
    }

    /** A bar on {@code err}: redrawn in place on a terminal, else one line every {@code intervalMs}. */
    static Progress to(PrintStream err, boolean terminal, int intervalMs) {
        return new Progress() {
            private ProgressBar bar;

            @Override
            public synchronized void start(String task, long total) {
                close();
                String[] last = {null};
                ProgressBarConsumer sink = terminal ? new ConsoleProgressBarConsumer(err)
                        : new DelegatingProgressBarConsumer(line -> {
                            String l = line.strip();
                            if (!l.equals(last[0])) { // a stalled task does not repeat its line
                                err.println(l);
                                err.flush();
                                last[0] = l;
                            }
                        }, 100);
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total < 0 ? -1 : total)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(terminal ? 250 : intervalMs)
                        .continuousUpdate().setConsumer(sink).build();
            }

            @Override
            public synchronized void step(long n) {
                if (bar != null) {
                    bar.stepBy(n);
                }
            }

            @Override
            public synchronized void close() {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
        };
    }
}
