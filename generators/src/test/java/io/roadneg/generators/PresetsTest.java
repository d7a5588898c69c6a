package io.roadneg.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import io.roadneg.generators.sources.Ade20kSourceConfig;
import io.roadneg.generators.sources.CocoSourceConfig;
import io.roadneg.pasting.BlendMode;
import java.nio.file.Files;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

public class PresetsTest {
    @Test
    void everyYamlInConfigsParsesAndIsAPreset() throws Exception {
        Path configs = Path.of(System.getProperty("roadneg.root", ".."), "configs");
        List<String> files;
        try (Stream<Path> s = Files.list(configs)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertEquals(Presets.names().stream().map(n -> n + ".yaml").sorted().toList(), files);
        for (String f : files) {
            PasteConfig fromFile = Presets.load(null, configs.resolve(f), Map.of());
            assertEquals(fromFile, Presets.load(f.replace(".yaml", ""), null, Map.of()), f);
            assertEquals(f.replace(".yaml", ""), fromFile.name());
        }
    }

    /**
     * Every number of a recipe is in its YAML: the config records have no defaults (a missing field is refused, named),
     * each preset states every field of every section (optional ones such as the patches' folder as null), and a
     * preset written back to YAML and bound again is the same config.
     */
    @Test
    void everyPresetStatesEveryField() throws Exception {
        Path configs = Path.of(System.getProperty("roadneg.root", ".."), "configs");
        for (String name : Presets.names()) {
            ObjectNode tree = Configs.readTree(configs.resolve(name + ".yaml"));
            PasteConfig c = Presets.load(name, null, Map.of());
            List<String> missing = new ArrayList<>();
            unstated(c, tree, "", missing);
            assertEquals(List.of(), missing, name + " leaves fields to Java defaults");
            assertEquals(c, Configs.load(Configs.yaml().valueToTree(c), null, Map.of(), PasteConfig.class,
                    OutlierSources.configTypes()), name);
        }
    }

    /** Adds to {@code missing} every record component (recursively) that {@code tree} does not state. */
    public static void unstated(Record r, JsonNode tree, String path, List<String> missing) throws Exception {
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
            String key = rc.getName();
            JsonNode n = tree.get(key);
            if (n == null) {
                missing.add(path + key);
                continue;
            }
            Object v = rc.getAccessor().invoke(r);
            if (v instanceof Record child) {
                unstated(child, n, path + key + ".", missing);
            }
        }
    }

    @Test
    void aMissingFieldIsRefusedNotDefaulted() throws Exception {
        Path file = Files.createTempFile("recipe", ".yaml");
        try {
            Files.writeString(file, Files.readString(Path.of(System.getProperty("roadneg.root", ".."), "configs",
                    "pebal.yaml")).replace("  featherSigma: 2.0", ""));
            InputException e = assertThrows(InputException.class, () -> Presets.load(null, file, Map.of()));
            assertTrue(e.getMessage().contains("blend.featherSigma is required"), e.getMessage());
            assertEquals(2.0, Presets.load("pebal", file, Map.of()).blend().featherSigma(), "a file overlays a preset");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void referenceNumbers() {
        PasteConfig rpl = Presets.load("rpl", null, Map.of());
        CocoSourceConfig c = (CocoSourceConfig) rpl.source();
        assertEquals(List.of(0.25, 0.5, 0.5, 0.75, 0.1, 0.125), c.rescale());
        assertEquals(700, c.centreCrop());
        assertEquals(700, rpl.placement().cropSize());
        assertEquals(0.2, Presets.load("mask2anomaly", null, Map.of()).placement().probability());
        PasteConfig dh = Presets.load("densehybrid-ade20k", null, Map.of());
        Ade20kSourceConfig a = (Ade20kSourceConfig) dh.source();
        assertEquals(384, a.shortSide());
        assertEquals(192, a.crop());
        assertEquals(0.5, a.rectProbability());
        assertEquals(2, a.classCount());
        assertEquals(512, dh.placement().cropSize());
        assertEquals(254, dh.labels().outlierTrainId());
        assertEquals(BlendMode.FEATHER, Presets.load("road-obstacles", null, Map.of()).blend().mode());
        assertEquals(List.of("person", "bicycle", "car", "motorcycle", "bus", "truck", "traffic light", "stop sign"),
                c.excluded());
    }

    @Test
    void unknownPresetsKeysAndValuesAreNamed() {
        InputException p = assertThrows(InputException.class, () -> Presets.load("rlp", null, Map.of()));
        assertTrue(p.getMessage().startsWith("--preset = rlp: unknown preset; known: densehybrid-ade20k, pebal, rpl"), p.getMessage());
        InputException k = assertThrows(InputException.class,
                () -> Presets.load("rpl", null, Map.of("placement.cropsize", "512")));
        assertTrue(k.getMessage().contains("placement.cropsize: unknown key"), k.getMessage());
        InputException v = assertThrows(InputException.class,
                () -> Presets.load("rpl", null, Map.of("placement.probability", "1.5")));
        assertTrue(v.getMessage().contains("placement.probability must be in [0, 1], found 1.5"), v.getMessage());
        InputException t = assertThrows(InputException.class,
                () -> Presets.load("rpl", null, Map.of("source.type", "imagenet")));
        assertTrue(t.getMessage().contains("imagenet"), t.getMessage());
    }

    @Test
    void theImageDeflateIsAStatedChoice() {
        assertEquals("isal", Presets.load("pebal", null, Map.of()).output().pngCodec());
        PasteConfig z = Presets.load("pebal", null, Map.of("output.pngCodec", "zlib"));
        assertEquals(io.roadneg.datasets.image.PngEncoder.Codec.ZLIB, z.output().codec());
        InputException e = assertThrows(InputException.class,
                () -> Presets.load("pebal", null, Map.of("output.pngCodec", "zopfli")));
        assertTrue(e.getMessage().contains("output.pngCodec must be isal or zlib, found zopfli"), e.getMessage());
    }
}
