package io.roadneg.cli;

import io.roadneg.generators.OutlierSourceProvider.DatasetRoot;
import io.roadneg.generators.OutlierSources;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The dataset roots, with one name each in every command that reads datasets: {@code --cityscapes-root},
 * {@code --sample-data}, and one option per root of every registered outlier source ({@code --coco-root},
 * {@code --coco-ood}, {@code --ade20k-root}, {@code --patches-dir}, and those of plugged-in sources), added by
 * {@link #addSourceRoots} when the command line is built, so a new source brings its roots without an edit here.
 */
public final class DatasetRootOptions {
    @Option(names = "--cityscapes-root", paramLabel = "DIR", description = "Cityscapes root (leftImg8bit/, gtFine/).")
    Path cityscapesRoot;

    @Option(names = "--sample-data", defaultValue = "sample-data", paramLabel = "DIR",
            description = "Where the bundled sample data lives or is made (default: ${DEFAULT-VALUE}).")
    Path sampleDir;

    private final Map<String, Path> sourceRoots = new LinkedHashMap<>();

    /** The Cityscapes root, or null when not given. */
    public Path cityscapesRoot() {
        return cityscapesRoot;
    }

    /** The sample-data folder. */
    public Path sampleDir() {
        return sampleDir;
    }

    /** The source roots given, by {@link DatasetRoot#name()}. */
    public Map<String, Path> sourceRoots() {
        return Collections.unmodifiableMap(sourceRoots);
    }

    /** Adds the source-root options to every command (and subcommand) of {@code cl} that mixes these options in. */
    static void addSourceRoots(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof DatasetRootOptions roots) {
                for (DatasetRoot r : OutlierSources.roots()) {
                    spec.addOption(OptionSpec.builder(r.option()).paramLabel("DIR").type(Path.class)
                            .description(r.description()).setter(new CommandLine.Model.ISetter() {
                                @Override
                                @SuppressWarnings("unchecked")
                                public <T> T set(T value) {
                                    Path old = value == null ? roots.sourceRoots.remove(r.name())
                                            : roots.sourceRoots.put(r.name(), (Path) value);
                                    return (T) old;
                                }
                            }).getter(new CommandLine.Model.IGetter() {
                                @Override
                                @SuppressWarnings("unchecked")
                                public <T> T get() {
                                    return (T) roots.sourceRoots.get(r.name());
                                }
                            }).build());
                }
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addSourceRoots(sub);
        }
    }
}
