package io.roadneg.datasets.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.roadneg.datasets.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigsTest {
    @TempDir
    Path dir;

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = Rect.class, name = "rect"),
        @JsonSubTypes.Type(value = Classes.class, name = "classes")})
    sealed interface Mask permits Rect, Classes {
    }

    record Rect(int minSide) implements Mask {
        Rect {
            if (minSide <= 0) {
                throw new IllegalArgumentException("minSide must be positive, found " + minSide);
            }
        }
    }

    record Classes(int count) implements Mask {
    }

    record Demo(int version, double probability, List<String> exclude, Mask mask) {
        Demo {
            if (probability < 0 || probability > 1) {
                throw new IllegalArgumentException("probability must be in [0, 1], found " + probability);
            }
        }
    }

    @Test
    void fileMergesOverBaseAndOverridesKeepTypes() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "probability: 0.2\nmask:\n  type: rect\n  minSide: 16\n");
        var base = Configs.yaml().createObjectNode().put("version", 1).put("probability", 0.5);
        Demo d = Configs.load(base, f, Map.of("exclude", "[person, car]", "mask.minSide", "24"), Demo.class);
        assertEquals(new Demo(1, 0.2, List.of("person", "car"), new Rect(24)), d);
    }

    @Test
    void unknownKeysAreErrorsThatNameFileAndKey() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "version: 1\nprobability: 0.2\nprobablity: 0.2\n");
        InputException e = assertThrows(InputException.class, () -> Configs.load(null, f, Map.of(), Demo.class));
        assertTrue(e.getMessage().startsWith(f + ": probablity: unknown key; known keys: exclude, mask, probability"),
                e.getMessage());
    }

    @Test
    void constructorChecksAndUnknownTypesAreReported() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "version: 1\nprobability: 1.5\n");
        InputException e = assertThrows(InputException.class, () -> Configs.load(null, f, Map.of(), Demo.class));
        assertTrue(e.getMessage().contains("probability must be in [0, 1], found 1.5"), e.getMessage());
        Files.writeString(f, "version: 1\nprobability: 0.1\nmask: {type: circle}\n");
        InputException t = assertThrows(InputException.class, () -> Configs.load(null, f, Map.of(), Demo.class));
        assertTrue(t.getMessage().contains("mask = circle: unknown type"), t.getMessage());
        Files.writeString(f, "version: 1\n");
        InputException m = assertThrows(InputException.class, () -> Configs.load(null, f, Map.of(), Demo.class));
        assertTrue(m.getMessage().endsWith("probability: required key is missing"), m.getMessage());
        Files.writeString(f, "version: one\n");
        InputException w = assertThrows(InputException.class, () -> Configs.load(null, f, Map.of(), Demo.class));
        assertTrue(w.getMessage().contains("version: wrong type"), w.getMessage());
    }

    @Test
    void malformedYamlAndBadOverridesAreOneLine() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "version: [1\n");
        InputException e = assertThrows(InputException.class, () -> Configs.readTree(f));
        assertTrue(e.getMessage().startsWith(f + ": malformed YAML at line"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        var base = Configs.yaml().createObjectNode().put("version", 1);
        assertThrows(InputException.class, () -> Configs.override(base, Map.of("version.x", "2")));
        assertThrows(InputException.class, () -> Configs.load(null, dir.resolve("missing.yaml"), Map.of(), Demo.class));
    }
}
