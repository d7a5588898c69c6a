package io.roadneg.generators.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Small helpers the providers' root checks share. */
final class FileCounts {
    private FileCounts() {
    }

    /** Files in {@code dir} (not recursive) whose name ends with {@code suffix}; 0 when it cannot be listed. */
    static long count(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
