package io.roadneg.generators.sources;

import io.roadneg.datasets.ade20k.Ade20kSceneParsing;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSourceProvider;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.SourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** DenseHybrid's ADE20K negatives ({@link Ade20kSource}); without {@code --ade20k-root}, the sample ADE20K set. */
public final class Ade20kSourceProvider implements OutlierSourceProvider {
    static final DatasetRoot ADE20K = new DatasetRoot("ade20k", "--ade20k-root",
            "ADE20K SceneParsing root (ADEChallengeData2016).");

    @Override
    public String type() {
        return "ade20k";
    }

    @Override
    public Class<Ade20kSourceConfig> configType() {
        return Ade20kSourceConfig.class;
    }

    @Override
    public List<String> presets() {
        return List.of("densehybrid-ade20k");
    }

    @Override
    public List<DatasetRoot> roots() {
        return List.of(ADE20K);
    }

    @Override
    public OutlierSource open(PasteConfig.Source config, SourceContext context) {
        return new Ade20kSource(new Ade20kSceneParsing(base(context)), (Ade20kSourceConfig) config);
    }

    /** The ADEChallengeData2016 folder: of {@code --ade20k-root} (or that folder itself), else of the sample data. */
    static Path base(SourceContext context) {
        Path given = context.root(ADE20K.name());
        Path root = given != null ? given : context.sampleData().resolve("ade20k");
        return base(root);
    }

    private static Path base(Path root) {
        return Files.isDirectory(root.resolve("ADEChallengeData2016")) ? root.resolve("ADEChallengeData2016") : root;
    }

    @Override
    public RootCheck check(DatasetRoot root, Path path) {
        Path base = base(path);
        Path img = base.resolve("images");
        Path ann = base.resolve("annotations");
        if (!Files.isDirectory(img) || !Files.isDirectory(ann) || !Files.isRegularFile(base.resolve(
                "objectInfo150.csv"))) {
            return new RootCheck(RootCheck.Status.MISSING, path + ": expected ADEChallengeData2016 with images/, "
                    + "annotations/ and objectInfo150.csv", "point " + ADE20K.option() + " at the unzipped "
                    + "ADEChallengeData2016.zip");
        }
        return new RootCheck(RootCheck.Status.OK, path + " (training: " + FileCounts.count(img.resolve("training"), ".jpg")
                + " images, validation: " + FileCounts.count(img.resolve("validation"), ".jpg") + " images)", null);
    }
}
