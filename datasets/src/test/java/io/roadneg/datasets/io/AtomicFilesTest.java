package io.roadneg.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteCreatesMissingFoldersAndReusesExistingOnes() throws Exception {
        Path a = dir.resolve("x/y/z/a.txt");
        AtomicFiles.write(a, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(a.resolveSibling("b.txt"), "two".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(a, "three".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("three".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(a));
        try (Stream<Path> s = Files.list(a.getParent())) {
            assertEquals(List.of("a.txt", "b.txt"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp file is left");
        }
    }

    @Test
    void ensureDirectoryMakesParentsKeepsFoldersAndRefusesAFileInTheWay() throws Exception {
        Path deep = dir.resolve("p/q/r");
        AtomicFiles.ensureDirectory(deep);
        assertTrue(Files.isDirectory(deep));
        Files.writeString(deep.resolve("keep.txt"), "k");
        AtomicFiles.ensureDirectory(deep);
        assertEquals("k", Files.readString(deep.resolve("keep.txt")), "an existing folder is left as it is");
        Path file = dir.resolve("plain");
        Files.writeString(file, "f");
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.ensureDirectory(file));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> AtomicFiles.write(file.resolve("c.txt"), new byte[] {1}));
        assertTrue(e.getMessage().contains("c.txt"), e.getMessage());
    }

    @Test
    void tempNamesAreDistinctAcrossThreads() throws Exception {
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 25_000; i++) {
                    String n = AtomicFiles.tempName("p");
                    assertTrue(n.matches("p\\.[0-9a-z]{1,13}"), n);
                    names.add(n);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(100_000, names.size());
    }

    @Test
    void aTempFileOfTheSameNameIsLeftAloneAndAnotherNameTaken() throws Exception {
        Path target = dir.resolve("out.txt");
        // the name the next write would take, made by "another process"
        String next = AtomicFiles.TEMP_PREFIX + "out.txt." + Long.toUnsignedString(
                AtomicFiles.mix(AtomicFiles.SALT + AtomicFiles.COUNTER.get() + 1), 36);
        Path foreign = dir.resolve(next);
        Files.write(foreign, new byte[] {9});
        AtomicFiles.write(target, new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(foreign), "the other writer's file is untouched");
    }
}
