package io.roadneg.datasets.hostile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/** Rows of a case table, run as named dynamic tests, each in a fresh folder of its own. */
public final class CaseTable {
    private final Path root;
    private final List<DynamicTest> cases = new ArrayList<>();
    private Path current;

    /** Rows whose folders are made under {@code root}. */
    public CaseTable(Path root) {
        this.root = root;
    }

    /** Adds a row; its body finds its folder in {@link #dir()}. */
    public void add(String name, Executable body) {
        cases.add(DynamicTest.dynamicTest(name, () -> {
            current = Files.createTempDirectory(root, "case");
            body.execute();
        }));
    }

    /** The folder of the row being run. */
    public Path dir() {
        return current;
    }

    /** The rows, for a {@code @TestFactory}. */
    public Stream<DynamicTest> stream() {
        return cases.stream();
    }
}
