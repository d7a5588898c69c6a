package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SampleDataCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheSampleSetsAndSaysWhere() {
        CommandLine cl = Gen.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("sample-data", "--out", dir.toString(), "--seed", "5", "--quiet");
        assertEquals(Gen.EXIT_OK, code);
        assertTrue(Files.isRegularFile(dir.resolve("README.md")));
        assertTrue(Files.isRegularFile(dir.resolve(
                "cityscapes/gtFine/val/frankfurt/frankfurt_000000_000019_gtFine_instanceIds.png")));
        assertTrue(Files.isRegularFile(dir.resolve("smiyc/dataset_ObstacleTrack/images/validation_0000.webp")));
        assertTrue(out.toString().contains("cityscapes/train: 24 items"), out.toString());
        assertTrue(out.toString().contains(dir.resolve("README.md").toString()), out.toString());
    }

    @Test
    void unknownScaleIsAUsageError() {
        CommandLine cl = Gen.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(Gen.EXIT_INPUT, cl.execute("sample-data", "--out", dir.toString(), "--scale", "huge"));
    }
}
