package io.roadneg.cli;

import io.roadneg.datasets.Progress;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.datasets.sample.SampleDataResult;
import io.roadneg.datasets.sample.SampleScale;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen sample-data}: writes the embedded sample datasets (thin wrapper over {@link SampleData#generate}). */
@Command(name = "sample-data", mixinStandardHelpOptions = true,
        description = "Write small procedurally drawn datasets in the exact layouts of Cityscapes, COCO, ADE20K "
                + "SceneParsing, SMIYC, Fishyscapes and RoadAnomaly, so every command can be tried without downloads.")
public final class SampleDataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--scale", paramLabel = "SCALE", defaultValue = "small",
            description = "small (512x256 scenes, seconds) or full (2048x1024 scenes); default: ${DEFAULT-VALUE}.")
    SampleScale scale;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        common.refuseConfig("sample-data");
        SampleDataResult r;
        try (Progress progress = ProgressBars.stderr(quiet)) {
            r = SampleData.generate(new SampleDataOptions(out, common.seed(), scale), progress);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + r.files() + " files under " + r.out());
        for (Map.Entry<String, Path> e : r.roots().entrySet()) {
            w.println("  " + e.getKey() + ": " + e.getValue());
        }
        for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
            w.println("  " + e.getKey() + ": " + e.getValue() + " items");
        }
        w.println("see " + r.out().resolve("README.md"));
        w.flush();
        return Gen.EXIT_OK;
    }
}
