package io.roadneg.cli;

import io.roadneg.datasets.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr (me.tongfei progressbar) behind the library's {@link Progress} callback. */
final class ProgressBars {
    private ProgressBars() {
    }

    /** A progress callback that draws a bar on stderr; pass {@code quiet} to draw nothing. */
    static Progress stderr(boolean quiet) {
        if (quiet) {
            return Progress.NONE;
        }
        return new Progress() {
            private ProgressBar bar;

            @Override
            public synchronized void start(String task, long total) {
                close();
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total < 0 ? -1 : total)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
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
