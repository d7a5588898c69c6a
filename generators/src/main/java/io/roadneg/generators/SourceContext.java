package io.roadneg.generators;

import io.roadneg.datasets.Progress;
import java.nio.file.Path;
import java.util.Map;

/** What a source is opened with: the dataset roots the user gave, and the sample data for those not given. */
public interface SourceContext {
    /** The root named {@code name} (a {@link OutlierSourceProvider.DatasetRoot#name()}), or null when not given. */
    Path root(String name);

    /** The bundled sample data folder, made on first call (and said so once). */
    Path sampleData();

    /** Tells the user one line (e.g. that a preparation step runs). */
    void say(String line);

    /** Progress of a long preparation step. */
    Progress progress();

    /**
     * A quiet context for library use and tests: the roots given by name, and a sample-data folder that is already
     * made (null when there is none).
     */
    static SourceContext of(Map<String, Path> roots, Path sampleData) {
        Map<String, Path> given = Map.copyOf(roots);
        return new SourceContext() {
            @Override
            public Path root(String name) {
                return given.get(name);
            }

            @Override
            public Path sampleData() {
                if (sampleData == null) {
                    throw new IllegalStateException("no sample data in this context");
                }
                return sampleData;
            }

            @Override
            public void say(String line) {
            }

            @Override
            public Progress progress() {
                return Progress.NONE;
            }
        };
    }
}
