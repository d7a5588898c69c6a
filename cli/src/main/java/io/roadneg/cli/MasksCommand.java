package io.roadneg.cli;

import io.roadneg.datasets.Progress;
import io.roadneg.generators.masks.MaskJob;
import io.roadneg.generators.masks.PromptableSegmenter;
import io.roadneg.generators.masks.Prompters;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen masks}: box prompts to a COCO instances JSON of masks, through a promptable segmenter. */
@Command(name = "masks", mixinStandardHelpOptions = true,
        description = "Turn boxes into object masks with a box-prompted segmenter (GrabCut or a TorchScript SAM).")
public final class MasksCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--images", required = true, paramLabel = "DIR",
            description = "Folder the boxes file's file names are relative to.")
    Path images;

    @Option(names = "--boxes", required = true, paramLabel = "FILE",
            description = "COCO instances JSON (bbox fields), a JSON list of {file_name, bbox[, category_id, points]}"
                    + " or a CSV file_name,x,y,w,h[,category_id].")
    Path boxes;

    @Option(names = "--prompter", paramLabel = "SPEC", defaultValue = "grabcut",
            description = "grabcut[:iterations=N,margin=F,min-margin=PX] or torchscript:DIR "
                    + "(default: ${DEFAULT-VALUE}).")
    String prompter;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "COCO instances JSON to write.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Images prompted in parallel (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public void run() {
        common.refuseConfig("masks");
        MaskJob.Result r;
        try (PromptableSegmenter p = Prompters.open(prompter); Progress progress = ProgressBars.stderr(quiet)) {
            r = MaskJob.run(new MaskJob.Options(images, boxes, out, threads), p, progress);
        }
        RefineCommand.printSkipped(spec, r.skipped());
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%d masks for %d images -> %s%n", r.masks(), r.images(), r.out());
        if (!r.skipped().isEmpty()) {
            w.printf("skipped %d%n", r.skipped().size());
        }
        w.flush();
    }
}
