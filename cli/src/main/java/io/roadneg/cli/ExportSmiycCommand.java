package io.roadneg.cli;

import io.roadneg.evaluation.SmiycExport;
import io.roadneg.evaluation.bench.Benchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gen export-smiyc}: writes score maps in the SMIYC official scorer's input layout for cross-checks. */
@Command(name = "export-smiyc", mixinStandardHelpOptions = true,
        description = "Write score maps as OUT/anomaly_p/{method}/{dataset}/{fid}.hdf5 for the official SMIYC scorer.")
final class ExportSmiycCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Benchmark name (see gen eval).")
    String dataset;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "Benchmark folder.")
    Path root;

    @Option(names = "--scores", required = true, paramLabel = "DIR", description = "Score maps named {fid}.npy/.hdf5.")
    Path scores;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "Method name in the layout.")
    String method;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (the scorer's outputs/).")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        common.refuseConfig("export-smiyc");
        Path dir = SmiycExport.export(Benchmark.byName(dataset), root, scores, method, out, ProgressBars.stderr(quiet));
        System.out.println("wrote " + dir);
        return Gen.EXIT_OK;
    }
}
