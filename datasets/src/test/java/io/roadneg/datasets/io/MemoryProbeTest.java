package io.roadneg.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryProbeTest {
    @Test
    void procLinesAreReadInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t    1780 kB\nVmRSS:\t    1024 kB\n";
        assertEquals(1780L * 1024, MemoryProbe.parseKb(status, "VmHWM:"));
        assertEquals(1024L * 1024, MemoryProbe.parseKb(status, "VmRSS:"));
        assertEquals(-1, MemoryProbe.parseKb(status, "MemAvailable:"));
        assertEquals(-1, MemoryProbe.parseKb("VmRSS:\tlots kB\n", "VmRSS:"));
        assertEquals(-1, MemoryProbe.parseKb("VmRSS:\t99999999999999999 kB\n", "VmRSS:"));
    }

    @Test
    void thisMachineAnswers() {
        MemoryProbe p = MemoryProbe.system();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(p.availableBytes() > 0);
            assertTrue(p.residentBytes() > 0);
            byte[] held = new byte[64 << 20];
            java.util.Arrays.fill(held, (byte) 1);
            assertTrue(p.peakResidentBytes() >= p.residentBytes() - (1 << 20), "peak >= resident");
            assertTrue(held[held.length - 1] == 1);
        } else {
            assertEquals(-1, p.availableBytes());
        }
    }
}
