package io.roadneg.generators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.config.Configs;
import java.nio.file.Path;
import java.util.List;

/**
 * An outlier source that plugs in through {@link java.util.ServiceLoader}: a module lists its provider in
 * {@code META-INF/services/io.roadneg.generators.OutlierSourceProvider}, ships its presets as
 * {@code presets/NAME.yaml} resources, and {@code gen paste --src}, {@code gen finetune --negatives}, the presets and
 * {@code gen doctor} find it through {@link OutlierSources}, with no edit to the command line or the trainer.
 */
public interface OutlierSourceProvider {
    /** The source's name: {@code --src}, {@code source.type} of a recipe, {@code data.negatives.source}. */
    String type();

    /**
     * The record a recipe's {@code source} section binds to; it must carry {@code @JsonTypeName(type())} and validate
     * its values in its compact constructor.
     */
    Class<? extends PasteConfig.Source> configType();

    /** The presets this source ships, the default (used when no preset is named) first. */
    List<String> presets();

    /**
     * The dataset roots the source reads. Each becomes an option of every command that opens sources (and of
     * {@code gen doctor}); a root the user does not give falls back to the sample data in {@link #open}.
     */
    List<DatasetRoot> roots();

    /**
     * Opens the source a recipe names.
     *
     * @param config the recipe's source section (an instance of {@link #configType()})
     * @param context the roots given, the sample data for those that were not, and where to report
     * @throws io.roadneg.datasets.InputException for a root without the expected files
     */
    OutlierSource open(PasteConfig.Source config, SourceContext context);

    /** What {@code gen doctor} says of one of this source's roots ({@code root} is one of {@link #roots()}). */
    RootCheck check(DatasetRoot root, Path path);

    /** A preset's YAML tree: the resource {@code presets/NAME.yaml} next to the provider's class. */
    default ObjectNode preset(String name) {
        return Configs.readResource(getClass().getClassLoader(), "presets/" + name + ".yaml");
    }

    /**
     * A dataset root option.
     *
     * @param name key sources read it by ({@link SourceContext#root})
     * @param option the command-line option, e.g. {@code --coco-root}
     * @param description one line for the help
     */
    record DatasetRoot(String name, String option, String description) {
        /** Checks the option's form. */
        public DatasetRoot {
            if (name == null || name.isBlank() || option == null || !option.startsWith("--")) {
                throw new IllegalArgumentException("a dataset root needs a name and a --option, found " + name
                        + ", " + option);
            }
        }
    }

    /**
     * A {@code gen doctor} finding about a root.
     *
     * @param status OK, WARN, MISSING, or BROKEN (present but damaged, e.g. a truncated JSON)
     * @param detail what was found
     * @param fix how to fix it, null when OK
     */
    record RootCheck(Status status, String detail, String fix) {
        /** Outcome of a check. */
        public enum Status { OK, WARN, MISSING, BROKEN }
    }
}
