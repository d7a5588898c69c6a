package io.roadneg.generators.sources;

import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSourceProvider;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.SourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Noisy patches ({@link PatchSource}) from {@code --patches-dir}, else the recipe's {@code source.folder}, else the
 * ADE20K images (of {@code --ade20k-root} or the sample data).
 */
public final class PatchSourceProvider implements OutlierSourceProvider {
    static final DatasetRoot PATCHES = new DatasetRoot("patches", "--patches-dir",
            "Image folder for the patches source (default: the ADE20K images).");

    @Override
    public String type() {
        return "patches";
    }

    @Override
    public Class<PatchSourceConfig> configType() {
        return PatchSourceConfig.class;
    }

    @Override
    public List<String> presets() {
        return List.of("noisy-patches");
    }

    @Override
    public List<DatasetRoot> roots() {
        return List.of(PATCHES);
    }

    @Override
    public OutlierSource open(PasteConfig.Source config, SourceContext context) {
        PatchSourceConfig p = (PatchSourceConfig) config;
        Path given = context.root(PATCHES.name());
        Path dir = given != null ? given : p.folder() != null ? Path.of(p.folder())
                : Ade20kSourceProvider.base(context).resolve("images");
        return new PatchSource(dir, p);
    }

    @Override
    public RootCheck check(DatasetRoot root, Path path) {
        if (!Files.isDirectory(path)) {
            return new RootCheck(RootCheck.Status.MISSING, path + ": not a folder", "point " + PATCHES.option()
                    + " at a folder of jpg, png or webp images");
        }
        return new RootCheck(RootCheck.Status.OK, path + " (" + (FileCounts.count(path, ".jpg") + FileCounts.count(path, ".png"))
                + " jpg/png images at its top level; sub-folders are searched too)", null);
    }
}
