package io.roadneg.generators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The paste presets every registered source ships ({@link OutlierSourceProvider#presets()}), by name. */
public final class Presets {
    private Presets() {
    }

    /** Every preset, grouped by source (sources sorted by type), each source's default first. */
    public static List<String> names() {
        return OutlierSources.all().stream().flatMap(p -> p.presets().stream()).toList();
    }

    /** The preset used for a source when none is named. */
    public static String defaultFor(String sourceType) {
        return OutlierSources.get(sourceType, "--src").presets().get(0);
    }

    /** The preset's YAML tree. */
    public static ObjectNode tree(String name) {
        for (OutlierSourceProvider p : OutlierSources.all()) {
            if (p.presets().contains(name)) {
                return p.preset(name);
            }
        }
        throw new InputException(null, "--preset", name, "unknown preset; known: " + String.join(", ", names()));
    }

    /** Preset, then config file, then overrides, bound with every registered source type and validated. */
    public static PasteConfig load(String preset, Path file, Map<String, String> overrides) {
        ObjectNode base = preset == null ? null : tree(preset);
        return Configs.load(base, file, overrides, PasteConfig.class, OutlierSources.configTypes());
    }

    /** The source type a config uses ("coco", "ade20k", "patches", or a plugged-in source's). */
    public static String sourceType(PasteConfig c) {
        return OutlierSources.of(c.source()).type();
    }
}
