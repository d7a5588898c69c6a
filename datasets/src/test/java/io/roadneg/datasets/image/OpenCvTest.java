package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native-library cache: extracted once into a versioned folder, reused by later loads, no temp file left. */
class OpenCvTest {
    @TempDir
    Path dir;

    @Test
    void extractsOnceAndReuses() throws IOException {
        // any class-path resource stands in for the 65 MB library
        String res = "/io/roadneg/datasets/image/OpenCv.class";
        Path first = OpenCv.extract(res, dir);
        assertNotNull(first);
        byte[] want;
        try (InputStream in = OpenCv.class.getResourceAsStream(res)) {
            want = in.readAllBytes();
        }
        assertArrayEquals(want, Files.readAllBytes(first));
        assertEquals("opencv-OpenCv_class-" + want.length, first.getParent().getFileName().toString());
        FileTime t = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(first, t);
        Path second = OpenCv.extract(res, dir);
        assertEquals(first, second);
        assertEquals(t, Files.getLastModifiedTime(second), "reused, not written again");
        try (Stream<Path> s = Files.list(first.getParent())) {
            assertEquals(List.of(first), s.toList(), "no temp file left");
        }
        assertNull(OpenCv.extract("/no/such/library.so", dir));
    }
}
