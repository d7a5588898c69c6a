package io.roadneg.flows.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import io.roadneg.flows.Adamax;
import io.roadneg.flows.DenseFlow;
import io.roadneg.flows.DenseFlowConfig;
import io.roadneg.flows.FlowImages;
import io.roadneg.flows.FlowRun;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSourceProvider;
import io.roadneg.generators.OutlierSources;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.Presets;
import io.roadneg.generators.PresetsTest;
import io.roadneg.generators.SourceContext;
import io.roadneg.pasting.PasteObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flow outlier source: registration, its preset, refusals, and what an item decodes to. */
class FlowSourceTest {
    static final Path ROOT = Path.of(System.getProperty("roadneg.root", ".."));

    /** A run folder of the tiny test flow (random weights, one checkpoint). */
    static Path tinyRun(Path dir) {
        DenseFlowConfig cfg = DenseFlowConfig.load(ROOT.resolve("flows/src/test/resources/flows/tiny.yaml"), Map.of());
        try (DenseFlow flow = new DenseFlow(cfg, 4); Adamax opt = new Adamax(flow.params().parameters(), 0.9, 0.999,
                1e-8)) {
            FlowRun.writeConfig(dir, cfg);
            FlowRun.writeCheckpoint(dir, 1, flow, opt, Configs.yaml().createObjectNode().put("step", 1));
        }
        return dir;
    }

    @Test
    void registeredWithItsPresetStatingEveryField() throws Exception {
        OutlierSourceProvider p = OutlierSources.get("flow", "--src");
        assertEquals(List.of("--flow"), p.roots().stream().map(OutlierSourceProvider.DatasetRoot::option).toList());
        Path dir = ROOT.resolve("configs/flow-negatives");
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(p.presets().stream().map(n -> n + ".yaml").sorted().toList(), files);
        for (String name : p.presets()) {
            PasteConfig c = Presets.load(name, null, Map.of());
            assertEquals(c, Presets.load(null, dir.resolve(name + ".yaml"), Map.of()), name);
            List<String> missing = new ArrayList<>();
            PresetsTest.unstated(c, Configs.readTree(dir.resolve(name + ".yaml")), "", missing);
            assertEquals(List.of(), missing, name);
        }
        FlowSourceConfig f = (FlowSourceConfig) Presets.load("densehybrid-flow", null, Map.of()).source();
        assertEquals(List.of(16, 216), f.side());
        assertEquals(8, f.sideStep());
        InputException e = assertThrows(InputException.class, () -> Presets.load("densehybrid-flow", null,
                Map.of("source.temperature", "0")));
        assertTrue(e.getMessage().contains("source.temperature must be a positive number, found 0.0"),
                e.getMessage());
    }

    @Test
    void withoutARunItIsRefusedInOneLine() {
        PasteConfig c = Presets.load("densehybrid-flow", null, Map.of());
        InputException e = assertThrows(InputException.class, () -> OutlierSources.open(c.source(),
                SourceContext.of(Map.of(), null)));
        assertEquals("--flow = missing: the flow source samples a trained flow: give --flow RUN (a gen flow train "
                + "--out folder) or source.run", e.getMessage());
    }

    @Test
    void anItemIsASquareSampleOfItsDrawnSide(@TempDir Path dir) throws Exception {
        Path run = tinyRun(dir.resolve("run"));
        PasteConfig c = Presets.load("densehybrid-flow", null, Map.of());
        try (OutlierSource s = OutlierSources.open(c.source(), SourceContext.of(Map.of("flow", run), null));
                FlowRun same = FlowRun.open(run); NDManager m = NDManager.newBaseManager()) {
            FlowSource fs = (FlowSource) s;
            // the tiny flow (3 squeezes, 4 landmarks) decodes sides that are multiples of 16
            assertEquals(List.of(16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208), fs.sides());
            assertEquals(100000, s.size());
            assertEquals(7, s.indexOf("flow:7"));
            Map<String, Object> d = s.draw(7, new Random(3));
            assertEquals(d, s.draw(7, new Random(3)));
            int side = (Integer) d.get("side");
            PasteObject o = s.load(7, d);
            assertEquals(side, o.rgb().width());
            assertEquals(side, o.rgb().height());
            for (byte b : o.mask()) {
                assertEquals(1, b);
            }
            long noise = ((Integer) d.get("noise")).longValue();
            assertArrayEquals(FlowImages.images(same.sample(m, 1, side, side, 1.0, noise, 7)).get(0).data(),
                    o.rgb().data());
            assertArrayEquals(o.rgb().data(), s.load(7, d).rgb().data(), "a recorded draw rebuilds the object");
            Map<String, Object> other = new java.util.LinkedHashMap<>(d);
            other.put("noise", (int) noise + 1);
            assertNotEquals(java.util.Arrays.hashCode(o.rgb().data()),
                    java.util.Arrays.hashCode(s.load(7, other).rgb().data()));
        }
    }
}
