package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.ade20k.Ade20kSceneParsing;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.generators.Ade20kSource;
import io.roadneg.generators.CocoSource;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.PatchSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The outlier-source roots a command was given, falling back to the bundled sample data (made on first use) for
 * those it was not; shared by {@code gen paste} and the training commands.
 *
 * Messages are prefixed with the command name ({@code who}).
 */
final class SourceRoots {
    private final Path cocoRoot;
    private final Path cocoOod;
    private final Path adeRoot;
    private final Path patchesDir;
    private final Path sampleDir;
    private final boolean quiet;
    private final String who;
    private boolean sampleReady;

    SourceRoots(Path cocoRoot, Path cocoOod, Path adeRoot, Path patchesDir, Path sampleDir, boolean quiet, String who) {
        this.cocoRoot = cocoRoot;
        this.cocoOod = cocoOod;
        this.adeRoot = adeRoot;
        this.patchesDir = patchesDir;
        this.sampleDir = sampleDir;
        this.quiet = quiet;
        this.who = who;
    }

    /** Makes the sample data unless it is there; says which, once. */
    void ensureSample(PrintWriter o) {
        if (sampleReady) {
            return;
        }
        sampleReady = true;
        if (Files.isDirectory(sampleDir.resolve("cityscapes")) && Files.isRegularFile(sampleDir.resolve("README.md"))) {
            o.println(who + ": no dataset roots given: using the bundled sample data in " + sampleDir);
            return;
        }
        o.println(who + ": no dataset roots given: making the bundled sample data in " + sampleDir + " (seed 0)");
        o.flush();
        SampleData.generate(SampleDataOptions.small(sampleDir, 0), ProgressBars.stderr(quiet));
    }

    /** Opens the source a recipe pastes from; the sample COCO set gets its Meta-OOD masks prepared on first use. */
    OutlierSource open(PasteConfig config, PrintWriter o) {
        if (config.source() instanceof PasteConfig.CocoSourceConfig c) {
            if (cocoRoot == null) {
                ensureSample(o);
            }
            Path root = cocoRoot != null ? cocoRoot : sampleDir.resolve("coco");
            Path ood = cocoOod != null ? cocoOod : root;
            if (cocoRoot == null && cocoOod == null && !Files.isDirectory(MetaOodPreparer.maskFolder(ood, c.split()))) {
                o.println(who + ": preparing the Meta-OOD masks of the sample COCO set");
                o.flush();
                MetaOodPreparer.run(MetaOodPreparer.Options.defaults(root, c.split(), ood), ProgressBars.stderr(quiet));
            } else if (!Files.isDirectory(MetaOodPreparer.maskFolder(ood, c.split()))) {
                throw new InputException(MetaOodPreparer.maskFolder(ood, c.split()), "--coco-ood", ood,
                        "has no Meta-OOD masks: run gen prepare coco-ood first");
            }
            return CocoSource.open(root, ood, c);
        }
        if (config.source() instanceof PasteConfig.Ade20kSourceConfig a) {
            return new Ade20kSource(new Ade20kSceneParsing(adeBase(o)), a);
        }
        PasteConfig.PatchSourceConfig p = (PasteConfig.PatchSourceConfig) config.source();
        Path dir = patchesDir != null ? patchesDir : p.folder() != null ? Path.of(p.folder())
                : adeBase(o).resolve("images");
        return new PatchSource(dir, p);
    }

    private Path adeBase(PrintWriter o) {
        if (adeRoot == null) {
            ensureSample(o);
        }
        Path root = adeRoot != null ? adeRoot : sampleDir.resolve("ade20k");
        return Files.isDirectory(root.resolve("ADEChallengeData2016")) ? root.resolve("ADEChallengeData2016") : root;
    }
}
