package io.roadneg.finetune.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import io.roadneg.finetune.data.NegativeSpec;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.Presets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The training recipes of {@code configs/finetune/} and the profiles that overlay them. */
public final class Recipes {
    /** Recipe names: {@code base} for gen train, the losses for gen finetune. */
    public static final List<String> NAMES = List.of("base", "ce", "densehybrid", "rpl", "pebal", "metaood",
            "nflowjs");
    /** Profiles: {@code sample-cpu} (quick runs on the bundled sample data), {@code reference} (no overlay). */
    public static final List<String> PROFILES = List.of("reference", "sample-cpu");

    private Recipes() {
    }

    /**
     * The paste recipe for negatives pasted on the fly from a plain source: {@code data.negatives.preset} (or the
     * source's default preset) with {@code data.negatives.referenceWidth}, {@code area} and {@code objects} when set;
     * refused when it pastes from another source.
     */
    public static PasteConfig pasteConfig(TrainConfig.NegativesConfig n) {
        String preset = n.preset() != null ? n.preset() : Presets.defaultFor(n.source());
        PasteConfig pc = Presets.load(preset, null, overrides(n, Map.of()));
        if (!Presets.sourceType(pc).equals(n.source())) {
            throw new InputException(null, "data.negatives.preset", preset, "pastes from "
                    + Presets.sourceType(pc) + ", not " + n.source());
        }
        return pc;
    }

    /**
     * The paste recipes of every part of {@code data.negatives.source} ({@link NegativeSpec}), in part order: a
     * plain source as {@link #pasteConfig}; a mask variant or a mixture part with its source's default preset, the
     * variant's overrides and those of {@code data.negatives}. A variant the source's recipe has no field for is an
     * input error naming the part.
     */
    public static List<PasteConfig> pasteConfigs(TrainConfig.NegativesConfig n) {
        NegativeSpec spec = NegativeSpec.parse(n.source());
        if (spec.plain()) {
            return List.of(pasteConfig(n));
        }
        if (n.preset() != null) {
            throw new InputException(null, "data.negatives.preset", n.preset(), "a mixture or mask variant ("
                    + n.source() + ") pastes each part with its source's default preset");
        }
        List<PasteConfig> out = new java.util.ArrayList<>();
        for (NegativeSpec.Part p : spec.parts()) {
            try {
                out.add(Presets.load(Presets.defaultFor(p.source()), null, overrides(n, p.overrides())));
            } catch (InputException | IllegalArgumentException e) {
                throw new InputException(null, "data.negatives.source", p.name(), "cannot paste this part with "
                        + Presets.defaultFor(p.source()) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Map<String, String> overrides(TrainConfig.NegativesConfig n, Map<String, String> variant) {
        Map<String, String> overrides = new java.util.LinkedHashMap<>(variant);
        if (n.referenceWidth() != null) {
            overrides.put("placement.referenceWidth", n.referenceWidth().toString());
        }
        if (n.area() != null) {
            overrides.put("placement.area", n.area().toString());
            overrides.put("placement.objects", n.objects().toString());
            overrides.put("placement.probability", "1.0");
        }
        return overrides;
    }

    /** The recipe's YAML tree. */
    public static ObjectNode tree(String name) {
        if (!NAMES.contains(name)) {
            throw new InputException(null, "--loss", name, "unknown recipe; known: " + String.join(", ", NAMES));
        }
        return Configs.readResource("finetune-configs/" + name + ".yaml");
    }

    /**
     * Recipe, then the profile's overlay ({@code sample-cpu-train} for the base, {@code sample-cpu-finetune}
     * otherwise), then a config file, then overrides; validated.
     */
    public static TrainConfig load(String recipe, String profile, Path file, Map<String, String> overrides) {
        ObjectNode tree = tree(recipe);
        if (profile != null && !profile.equals("reference")) {
            if (!PROFILES.contains(profile)) {
                throw new InputException(null, "--profile", profile, "unknown profile; known: "
                        + String.join(", ", PROFILES));
            }
            String kind = recipe.equals("base") ? "train" : "finetune";
            tree = Configs.merge(tree, Configs.readResource("finetune-configs/" + profile + "-" + kind + ".yaml"));
        }
        return Configs.load(tree, file, overrides, TrainConfig.class);
    }
}
