package io.roadneg.finetune.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
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
     * The paste recipe for negatives pasted on the fly: {@code data.negatives.preset} (or the source's default
     * preset) with {@code data.negatives.referenceWidth} when set; refused when it pastes from another source.
     */
    public static PasteConfig pasteConfig(TrainConfig.NegativesConfig n) {
        String preset = n.preset() != null ? n.preset() : Presets.defaultFor(n.source());
        Map<String, String> overrides = n.referenceWidth() == null ? Map.of()
                : Map.of("placement.referenceWidth", n.referenceWidth().toString());
        PasteConfig pc = Presets.load(preset, null, overrides);
        if (!Presets.sourceType(pc).equals(n.source())) {
            throw new InputException(null, "data.negatives.preset", preset, "pastes from "
                    + Presets.sourceType(pc) + ", not " + n.source());
        }
        return pc;
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
