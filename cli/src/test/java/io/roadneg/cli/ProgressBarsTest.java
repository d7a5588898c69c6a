package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarsTest {
    @Test
    void offATerminalTheBarPrintsWholeLines() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = ProgressBars.to(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 60_000);
        p.start("paste pebal", 10);
        p.step(10);
        p.close();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), "no carriage returns in a log: " + out);
        assertTrue(out.endsWith("\n") || out.endsWith(System.lineSeparator()), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("paste pebal") && l.contains("10/10")), out);
        assertTrue(out.lines().count() <= 3, "a line per interval, not per step: " + out);
    }
}
