package io.roadneg.cli;

import io.roadneg.finetune.train.TrainConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gen train}: a base segmenter on inliers. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a base segmenter on inlier scenes (cross-entropy), recipe configs/finetune/base.yaml.",
            "Without --cityscapes-root it trains on the bundled sample data with the sample-cpu profile.",
            "Writes OUT/checkpoints/step-N/ (atomically), train.jsonl (per-term losses), validation.jsonl."})
final class TrainCommand extends TrainCommands implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        TrainConfig c = config("base", common, Map.of(), o);
        return train(c, "base", null, common, o).diverged() ? Gen.EXIT_FAILURE : Gen.EXIT_OK;
    }
}
