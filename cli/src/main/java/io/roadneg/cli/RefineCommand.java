package io.roadneg.cli;

import io.roadneg.datasets.Progress;
import io.roadneg.evaluation.refine.RefineJob;
import io.roadneg.evaluation.refine.ScoreRefiner;
import io.roadneg.generators.masks.PromptableSegmenter;
import io.roadneg.generators.masks.Prompters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen refine}: S2M-style score map refinement (threshold, boxes of components, prompt, paint). */
@Command(name = "refine", mixinStandardHelpOptions = true,
        description = "Refine anomaly score maps S2M-style: boxes of the components above a threshold prompt a "
                + "segmenter and the masks take the box's score. Writes {id}.npy that gen eval reads.")
public final class RefineCommand implements Runnable {
    /** How many skip lines are printed. */
    static final int MAX_SKIP_LINES = 20;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--scores", required = true, paramLabel = "DIR", description = "Folder of {id}.npy score maps.")
    Path scores;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of {id}.jpg|png|webp.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--prompter", paramLabel = "SPEC", defaultValue = "grabcut",
            description = "grabcut[:...] or torchscript:DIR (default: ${DEFAULT-VALUE}).")
    String prompter;

    @Option(names = "--threshold", required = true, paramLabel = "T",
            description = "Scores at or above T are anomalous (in the score map's own units).")
    double threshold;

    @Option(names = "--min-area", paramLabel = "PX", defaultValue = "16",
            description = "Smaller components give no box (default: ${DEFAULT-VALUE}).")
    int minArea;

    @Option(names = "--max-boxes", paramLabel = "N", defaultValue = "50",
            description = "Boxes per frame, highest scores first (default: ${DEFAULT-VALUE}).")
    int maxBoxes;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public void run() {
        common.refuseConfig("refine");
        ScoreRefiner.Options ro = new ScoreRefiner.Options(threshold, minArea, maxBoxes);
        RefineJob.Result r;
        try (PromptableSegmenter p = Prompters.open(prompter); Progress progress = ProgressBars.stderr(quiet)) {
            r = RefineJob.run(new RefineJob.Options(scores, images, out, ro), RefineJob.NPY, p, progress);
        }
        printSkipped(spec, r.skipped());
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%d frames refined with %d boxes -> %s%n", r.frames(), r.boxes(), out);
        if (!r.skipped().isEmpty()) {
            w.printf("skipped %d%n", r.skipped().size());
        }
        w.flush();
    }

    static void printSkipped(CommandSpec spec, List<String> skipped) {
        PrintWriter err = spec.commandLine().getErr();
        for (String s : skipped.subList(0, Math.min(MAX_SKIP_LINES, skipped.size()))) {
            err.println("skipped: " + s);
        }
        if (skipped.size() > MAX_SKIP_LINES) {
            err.println("... and " + (skipped.size() - MAX_SKIP_LINES) + " more");
        }
        err.flush();
    }
}
