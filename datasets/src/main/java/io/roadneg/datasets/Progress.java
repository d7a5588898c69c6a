package io.roadneg.datasets;

/**
 * A progress callback for long library work; the CLI draws it as a bar, tests pass {@link #NONE}. Implementations
 * must be thread-safe: parallel runs call {@link #step} from many threads.
 */
public interface Progress extends AutoCloseable {
    /** A callback that ignores everything. */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void step(long n) {
        }

        @Override
        public void close() {
        }
    };

    /** A new task of {@code total} steps (-1 when unknown). */
    void start(String task, long total);

    /** {@code n} more steps done. */
    void step(long n);

    /** The task is over. */
    @Override
    void close();
}
