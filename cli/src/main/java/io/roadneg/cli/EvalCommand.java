package io.roadneg.cli;

import io.roadneg.evaluation.EvalResult;
import io.roadneg.evaluation.Evaluation;
import io.roadneg.evaluation.Protocol;
import io.roadneg.evaluation.bench.Benchmark;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gen eval}: scores a method's anomaly maps on a benchmark and writes the reports. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate per-frame anomaly score maps (.npy or SMIYC .hdf5) on an anomaly benchmark.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "fs-laf, fs-static, fs-laf-densehybrid, smiyc-anomaly, smiyc-obstacle, road-anomaly, "
                    + "road-anomaly-masks, streethazards-t5, streethazards-t6, lost-and-found")
    String dataset;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "Benchmark folder.")
    Path root;

    @Option(names = "--scores", required = true, paramLabel = "DIR", description = "Score maps named {fid}.npy/.hdf5.")
    Path scores;

    @Option(names = "--protocol", defaultValue = "exact", paramLabel = "exact|smiyc",
            description = "exact (bdl/sklearn) or smiyc (official binned scorer + components); default ${DEFAULT-VALUE}.")
    Protocol protocol;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (metrics.json, metrics.md, curves, HTML).")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        EvalResult r = Evaluation.run(Benchmark.byName(dataset), root, scores, protocol, out,
                ProgressBars.stderr(quiet));
        var p = r.pixel();
        if (p.defined()) {
            System.out.printf(Locale.ROOT, "%s [%s]: %d frames  AP %.4f  AUROC %.4f  FPR95 %.4f%n", r.dataset(),
                    p.protocol(), r.frames(), p.ap(), p.auroc(), p.fpr95());
        } else {
            System.out.printf(Locale.ROOT, "%s: %d frames: %s%n", r.dataset(), r.frames(), p.undefinedReason());
        }
        return p.defined() ? Gen.EXIT_OK : Gen.EXIT_INPUT;
    }
}
