package io.roadneg.cli;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.coco.CocoCategories;
import io.roadneg.datasets.coco.MetaOodPreparer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen prepare}: turns downloaded datasets into the training-ready forms the other commands read. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Prepare datasets (e.g. the Meta-OOD COCO outlier masks).",
        subcommands = {PrepareCommand.CocoOod.class})
public final class PrepareCommand implements Runnable {
    /** How many problem lines are printed before pointing at the manifest. */
    static final int MAX_PROBLEM_LINES = 20;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code gen prepare coco-ood}: the Meta-OOD COCO outlier set. */
    @Command(name = "coco-ood", mixinStandardHelpOptions = true,
            description = "Write Meta-OOD outlier masks (254 on 0) for COCO images without road-scene classes.")
    static final class CocoOod implements Runnable {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--coco-root", required = true, paramLabel = "DIR",
                description = "COCO root holding annotations/ and {split}2017/.")
        Path cocoRoot;

        @Option(names = "--split", required = true, paramLabel = "train|val", description = "COCO split.")
        String split;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output root.")
        Path out;

        @Option(names = "--exclude", split = ",", paramLabel = "NAME",
                description = "Category names whose images are dropped (default: the Meta-OOD list).")
        List<String> exclude;

        @Option(names = "--min-size", paramLabel = "PX", defaultValue = "480",
                description = "Minimum image height and width (default: ${DEFAULT-VALUE}).")
        int minSize;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
                description = "Rasterise-and-encode threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
        boolean quiet;

        @Override
        public void run() {
            common.refuseConfig("prepare coco-ood");
            List<String> excluded = exclude == null ? CocoCategories.META_OOD_EXCLUDED : trimmed(exclude);
            MetaOodPreparer.Options o = new MetaOodPreparer.Options(cocoRoot, split, out, excluded, minSize, threads);
            MetaOodPreparer.Result r;
            try (Progress p = ProgressBars.stderr(quiet)) {
                r = MetaOodPreparer.run(o, p);
            }
            PrintWriter err = spec.commandLine().getErr();
            List<String> problems = r.problems();
            for (int i = 0; i < Math.min(problems.size(), MAX_PROBLEM_LINES); i++) {
                err.println("skipped: " + problems.get(i));
            }
            if (problems.size() > MAX_PROBLEM_LINES) {
                err.println("... and " + (problems.size() - MAX_PROBLEM_LINES) + " more, see " + r.manifest());
            }
            err.flush();
            PrintWriter w = spec.commandLine().getOut();
            w.printf("kept %d (%d written, %d already present) -> %s%n", r.kept(), r.written(), r.alreadyPresent(),
                    r.maskFolder());
            w.printf("dropped %d%n", r.droppedTotal());
            for (Map.Entry<MetaOodPreparer.Reason, Integer> e : r.dropped().entrySet()) {
                w.printf("  %-40s %d%n", e.getKey().text(), e.getValue());
            }
            w.printf("manifest %s%n", r.manifest());
            w.flush();
        }

        private static List<String> trimmed(List<String> names) {
            List<String> out = new ArrayList<>();
            for (String n : names) {
                if (!n.isBlank()) {
                    out.add(n.trim());
                }
            }
            return out;
        }
    }
}
