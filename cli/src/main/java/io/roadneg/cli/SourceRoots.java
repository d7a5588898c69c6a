package io.roadneg.cli;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSources;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.SourceContext;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dataset roots a command was given, falling back to the bundled sample data (made on first use) for those it
 * was not; what sources are opened with, shared by {@code gen paste} and the training commands. Messages are prefixed
 * with the command name ({@code who}).
 */
final class SourceRoots implements SourceContext {
    private final DatasetRootOptions roots;
    private final PrintWriter out;
    private final boolean quiet;
    private final String who;
    private boolean sampleReady;

    SourceRoots(DatasetRootOptions roots, PrintWriter out, boolean quiet, String who) {
        this.roots = roots;
        this.out = out;
        this.quiet = quiet;
        this.who = who;
    }

    @Override
    public Path root(String name) {
        return roots.sourceRoots().get(name);
    }

    /** Makes the sample data unless it is there; says which, once. */
    @Override
    public Path sampleData() {
        Path sampleDir = roots.sampleDir();
        if (!sampleReady) {
            sampleReady = true;
            if (Files.isDirectory(sampleDir.resolve("cityscapes"))
                    && Files.isRegularFile(sampleDir.resolve("README.md"))) {
                say("no dataset roots given: using the bundled sample data in " + sampleDir);
            } else {
                say("no dataset roots given: making the bundled sample data in " + sampleDir + " (seed 0)");
                SampleData.generate(SampleDataOptions.small(sampleDir, 0), progress());
            }
        }
        return sampleDir;
    }

    @Override
    public void say(String line) {
        out.println(who + ": " + line);
        out.flush();
    }

    @Override
    public Progress progress() {
        return ProgressBars.stderr(quiet);
    }

    /** The Cityscapes root given, else the sample data's. */
    Path cityscapes() {
        return roots.cityscapesRoot() != null ? roots.cityscapesRoot() : sampleData().resolve("cityscapes");
    }

    /** Opens the source a recipe pastes from, through its registered provider. */
    OutlierSource open(PasteConfig config) {
        return OutlierSources.open(config.source(), this);
    }
}
