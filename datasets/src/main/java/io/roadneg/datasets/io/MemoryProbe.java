package io.roadneg.datasets.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process and the machine hold in memory, for work whose size the Java heap does not bound (libtorch's
 * native tensors). On Linux from {@code /proc}; elsewhere every answer is "unknown".
 */
public interface MemoryProbe {
    /** Bytes the machine can still give without swapping ({@code MemAvailable}), or -1 when unknown. */
    long availableBytes();

    /** Resets this process's peak resident size to its present size; false when that cannot be done. */
    boolean resetPeak();

    /** This process's peak resident bytes since the last {@link #resetPeak} ({@code VmHWM}), or -1. */
    long peakResidentBytes();

    /** This process's resident bytes now ({@code VmRSS}), or -1. */
    long residentBytes();

    /** The probe of this machine: {@code /proc} on Linux. */
    static MemoryProbe system() {
        return new MemoryProbe() {
            @Override
            public long availableBytes() {
                return field(Path.of("/proc/meminfo"), "MemAvailable:");
            }

            @Override
            public boolean resetPeak() {
                try {
                    // "5" resets the peak resident set size (Linux 4.0 and later, proc(5))
                    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
                    return true;
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    return false;
                }
            }

            @Override
            public long peakResidentBytes() {
                return field(Path.of("/proc/self/status"), "VmHWM:");
            }

            @Override
            public long residentBytes() {
                return field(Path.of("/proc/self/status"), "VmRSS:");
            }
        };
    }

    /** The value of a {@code NAME: N kB} line of a {@code /proc} file, in bytes, or -1. */
    static long field(Path file, String name) {
        try {
            return parseKb(Files.readString(file, StandardCharsets.ISO_8859_1), name);
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    /** The value of a {@code NAME: N kB} line of {@code text}, in bytes, or -1 when there is none. */
    static long parseKb(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                try {
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? Math.multiplyExact(v, 1024L) : v;
                } catch (NumberFormatException | ArithmeticException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
