package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.finetune.score.Score;
import io.roadneg.finetune.score.ScoreJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen score}: anomaly score maps of a trained model on a benchmark, for {@code gen eval}. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a benchmark with a trained model: OUT/{frame}.npy (float32, higher = more anomalous) "
                + "that gen eval reads.",
            "Scores: msp, maxlogit, entropy, energy, densehybrid (needs the dout head), rpl (energy + 7x7 blur, "
                    + "an RPL model), jsd (NFlowJS: minus the Jensen-Shannon divergence of the softmax from uniform)."})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Run folder or checkpoint.")
    Path model;

    @Option(names = "--score", required = true, paramLabel = "S", description = "msp, maxlogit, entropy, energy, "
            + "densehybrid, rpl or jsd.")
    String score;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Benchmark name as in gen eval.")
    String dataset;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "Benchmark folder.")
    Path root;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Score map folder.")
    Path out;

    @Option(names = "--batch", paramLabel = "N", description = "Frames of one size per forward pass (default 1; "
            + "larger batches keep a GPU busy at full resolution, the maps are the same to float rounding; on the CPU "
            + "no faster, and lowered to what the memory holds, measured on the first frame).")
    int batch = 1;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        common.refuseConfig("score");
        Score s;
        try {
            s = Score.byKey(score);
        } catch (IllegalArgumentException e) {
            throw new InputException(null, "--score", score, "unknown score; known: " + Arrays.stream(Score.values())
                    .map(Score::key).collect(Collectors.joining(", ")));
        }
        PrintWriter o = spec.commandLine().getOut();
        ai.djl.Device d = device.resolve(o);
        ScoreJob.Result r = ScoreJob.run(model, s, Benchmark.byName(dataset), root, out, ProgressBars.stderr(quiet),
                d, batch, note -> o.println("gen score: " + note), io.roadneg.datasets.io.MemoryProbe.system());
        o.printf("scored %d frames (%d written, %d already there) into %s%n", r.frames(), r.written(), r.kept(),
                r.out());
        return Gen.EXIT_OK;
    }
}
