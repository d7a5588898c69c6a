package io.roadneg.cli;

import io.roadneg.evaluation.EvalResult;
import io.roadneg.evaluation.Evaluation;
import io.roadneg.evaluation.OpenSetRequest;
import io.roadneg.evaluation.Protocol;
import io.roadneg.evaluation.bench.Benchmark;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen eval}: scores a method's anomaly maps on a benchmark and writes the reports. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate per-frame anomaly score maps (.npy or SMIYC .hdf5) on an anomaly benchmark.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "fs-laf, fs-static, fs-laf-densehybrid, smiyc-anomaly, smiyc-obstacle, road-anomaly, "
                    + "road-anomaly-masks, streethazards-t5, streethazards-t6, lost-and-found")
    String dataset;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "Benchmark folder.")
    Path root;

    @Option(names = "--scores", required = true, paramLabel = "DIR", description = "Score maps named {fid}.npy/.hdf5 "
            + "(float32, float16 or float64; float64 ranked as doubles).")
    Path scores;

    @Option(names = "--protocol", defaultValue = "exact", paramLabel = "exact|smiyc",
            description = "exact (bdl/sklearn) or smiyc (official binned scorer + components); default ${DEFAULT-VALUE}.")
    Protocol protocol;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (metrics.json, metrics.md, curves, HTML).")
    Path out;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "Threads decoding and counting frames (results identical for any N); default ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--classes", paramLabel = "DIR",
            description = "Per-frame class predictions ({fid}.png 8-bit train ids or {fid}.npy integers): adds "
                    + "open-set metrics (open-mIoU, anomaly IoU, closed mIoU) for datasets with class labels.")
    Path classes;

    @Option(names = "--calibrate-on", paramLabel = "NAME",
            description = "Split whose TPR-95%% threshold the open-set metrics use (DenseHybrid: streethazards-t6 "
                    + "for t5 and vice versa); default: the evaluated split (optimistic).")
    String calibrateOn;

    @Option(names = "--calibration-scores", paramLabel = "DIR",
            description = "Score maps of the --calibrate-on split; default: the --scores folder.")
    Path calibrationScores;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        common.refuseConfig("eval");
        if ((calibrateOn != null || calibrationScores != null) && classes == null) {
            throw new IllegalArgumentException("--calibrate-on and --calibration-scores need --classes");
        }
        OpenSetRequest openSet = classes == null ? null : new OpenSetRequest(classes,
                calibrateOn == null ? null : Benchmark.byName(calibrateOn), calibrationScores);
        EvalResult r = Evaluation.run(Benchmark.byName(dataset), root, scores, protocol, out,
                ProgressBars.stderr(quiet), threads, openSet);
        java.io.PrintWriter out = spec.commandLine().getOut();
        var p = r.pixel();
        if (p.defined()) {
            out.printf(Locale.ROOT, "%s [%s]: %d frames  AP %.4f  AUROC %.4f  FPR95 %.4f%n", r.dataset(),
                    p.protocol(), r.frames(), p.ap(), p.auroc(), p.fpr95());
        } else {
            out.printf(Locale.ROOT, "%s: %d frames: %s%n", r.dataset(), r.frames(), p.undefinedReason());
        }
        if (r.openSet() != null) {
            var o = r.openSet().result();
            out.printf(Locale.ROOT, "open-set (calibrated on %s, threshold %s): open-mIoU %.4f  anomaly IoU %.4f"
                    + "  closed mIoU %.4f%n", r.openSet().calibratedOn(), o.threshold(), o.openMIoU(), o.anomalyIoU(),
                    o.closedMIoU());
        }
        return p.defined() ? Gen.EXIT_OK : Gen.EXIT_INPUT;
    }
}
