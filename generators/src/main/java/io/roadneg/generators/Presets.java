package io.roadneg.generators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The bundled paste presets (the YAML files of {@code configs/}), by name. */
public final class Presets {
    /** Every preset, in the order the help lists them. */
    public static final List<String> NAMES = List.of("rpl", "pebal", "mask2anomaly", "densehybrid-ade20k",
            "noisy-patches", "road-obstacles");

    /** The preset used for each source when none is named. */
    public static final Map<String, String> DEFAULT_FOR_SOURCE = Map.of("coco", "pebal", "ade20k",
            "densehybrid-ade20k", "patches", "noisy-patches");

    private Presets() {
    }

    /** The preset's YAML tree. */
    public static ObjectNode tree(String name) {
        if (!NAMES.contains(name)) {
            throw new InputException(null, "--preset", name, "unknown preset; known: " + String.join(", ", NAMES));
        }
        return Configs.readResource("presets/" + name + ".yaml");
    }

    /** Preset, then config file, then overrides, validated. */
    public static PasteConfig load(String preset, Path file, Map<String, String> overrides) {
        ObjectNode base = preset == null ? null : tree(preset);
        return Configs.load(base, file, overrides, PasteConfig.class);
    }

    /** The source type a config uses ("coco", "ade20k", "patches"). */
    public static String sourceType(PasteConfig c) {
        if (c.source() instanceof PasteConfig.CocoSourceConfig) {
            return "coco";
        }
        if (c.source() instanceof PasteConfig.Ade20kSourceConfig) {
            return "ade20k";
        }
        return "patches";
    }
}
