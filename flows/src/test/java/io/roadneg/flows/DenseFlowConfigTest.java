package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every YAML under configs/flows parses; the published numbers are the published ones; bad values fail in a line. */
class DenseFlowConfigTest {
    @Test
    void everyFlowConfigParses() throws IOException {
        Path dir = Path.of(System.getProperty("roadneg.root"), "configs/flows");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 2);
        for (Path f : files) {
            DenseFlowConfig c = DenseFlowConfig.load(f, Map.of());
            assertEquals(f.getFileName().toString().replace(".yaml", ""), c.name());
        }
    }

    @Test
    void publishedConfiguration() {
        DenseFlowConfig c = DenseFlowConfig.preset("denseflow-published");
        assertEquals(List.of(6, 4, 1), c.blocks());
        assertEquals(List.of(5, 6, 20), c.layers());
        assertEquals(List.of(48, 48, 48), c.midChannels());
        assertEquals(10, c.growthRate());
        assertEquals(new DenseFlowConfig.Coupling(7, 64, 4), c.coupling());
        assertEquals(1e-3, c.optimizer().lr());
        // 12 channels after the squeeze; +10 per unit after the first; doubled by each transition
        assertEquals(12, c.blockInputChannels(0));
        assertEquals(62, c.blockOutputChannels(0));
        assertEquals(124, c.blockInputChannels(1));
        assertEquals(154, c.blockOutputChannels(1));
        assertEquals(308, c.blockOutputChannels(2));
    }

    @Test
    void cpuPresetBuilds() {
        DenseFlowConfig c = DenseFlowConfig.preset("denseflow-cpu");
        assertEquals(c.blocks().size(), c.layers().size());
        try (DenseFlow f = new DenseFlow(c, 0)) {
            assertTrue(f.params().parameterCount() > 100_000);
        }
    }

    @Test
    void badValuesFailInOneLineNamingFileAndField(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, Files.readString(Path.of(System.getProperty("roadneg.root"),
                "configs/flows/denseflow-cpu.yaml")).replace("layers: [2, 2, 2]", "layers: [2, 2]"));
        InputException e = assertThrows(InputException.class, () -> DenseFlowConfig.load(f, Map.of()));
        assertEquals(f + ": layers must have one entry per block (3), found [2, 2]", e.getMessage());
        e = assertThrows(InputException.class, () -> DenseFlowConfig.load(f, Map.of("layers", "[1, 1, 1]",
                "coupling.landmarks", "0")));
        assertTrue(e.getMessage().startsWith(f + ": coupling"), e.getMessage());
        assertTrue(e.getMessage().endsWith("coupling.landmarks must be positive, found 0"), e.getMessage());
        e = assertThrows(InputException.class, () -> DenseFlowConfig.load(f, Map.of("layers", "[1, 1, 1]",
                "depth", "3")));
        assertTrue(e.getMessage().contains("depth: unknown key"), e.getMessage());
    }
}
