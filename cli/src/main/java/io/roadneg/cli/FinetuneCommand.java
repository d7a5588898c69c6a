package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.finetune.data.NegativeSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen finetune}: a hybrid-loss fine-tune of a trained base on inliers plus negatives. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a segmenter with a hybrid anomaly loss on inliers plus pasted negatives.",
            "Losses: densehybrid, rpl (residual on the frozen base), pebal, metaood, nflowjs "
                    + "(configs/finetune/LOSS.yaml).",
            "--model: a gen train run or checkpoint, or a TorchScript segmenter folder (model.pt + model.json).",
            "--negatives: an outlier source (pasted on the fly by its paste presets), a mask variant (coco:box: "
                    + "box-prompted masks), a mixture (coco:0.5+ade20k:0.5), none, a gen paste output folder, or "
                    + "flow: squares decoded from the flow --flow RUN in the training loop (--joint trains the flow "
                    + "with the segmenter)."})
final class FinetuneCommand extends TrainCommands implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--loss", required = true, paramLabel = "LOSS", description = "densehybrid, rpl, pebal, metaood, "
            + "nflowjs, or ce (the control: cross-entropy on inliers only, no negatives).")
    String loss;

    @Option(names = "--negatives", paramLabel = "SRC", completionCandidates = PasteCommand.SourceTypes.class,
            description = "${COMPLETION-CANDIDATES}, none or a folder (default: the recipe's).")
    String negatives;

    @Option(names = "--joint", description = "With --negatives flow: train the flow in the same loop (its NLL on the "
            + "inlier patches plus the segmenter's loss through its samples; its own Adamax).")
    boolean joint;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Base: run folder, checkpoint or "
            + "TorchScript segmenter folder.")
    Path model;

    @Option(names = "--sample-negatives", paramLabel = "N", description = "Train nothing: write the negatives of "
            + "the run's first N samples that carry any (as it draws them) to --out: negatives.json (pasted area, "
            + "objects, colour of the pasted pixels) and preview.png.")
    Integer sampleNegatives;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (loss.equals("base") || !Recipes.NAMES.contains(loss)) {
            throw new InputException(null, "--loss", loss, "must be densehybrid, rpl, pebal, metaood, nflowjs or ce");
        }
        Map<String, String> extra = new LinkedHashMap<>();
        if (negatives != null) {
            if (negatives.equals(TrainConfig.NegativesConfig.FLOW)) {
                extra.put("data.negatives.source", negatives);
                extra.put("data.negatives.preset", "null");
            } else if (negatives.equals("none") || NegativeSpec.isSpec(negatives)) {
                extra.put("data.negatives.source", negatives);
                if (!negatives.equals("none")) {
                    extra.put("data.negatives.preset", "null");
                }
            } else {
                extra.put("data.negatives.source", "dir");
                extra.put("data.negatives.dir", negatives);
            }
        }
        // --flow is the flow source's root option (every command that reads datasets has it): the in-loop squares
        // of --negatives flow read the same run folder
        Path flow = roots.sourceRoots().get(TrainConfig.NegativesConfig.FLOW);
        if (flow != null) {
            extra.put("data.negatives.flow.run", flow.toString());
        }
        if (joint) {
            extra.put("data.negatives.flow.joint", "true");
        }
        TrainConfig c = config(loss, common, extra, o);
        checkFlow(c, flow);
        if (sampleNegatives != null) {
            if (sampleNegatives < 1) {
                throw new InputException(null, "--sample-negatives", sampleNegatives, "must be 1 or more");
            }
            if (c.data().negatives().source().equals(TrainConfig.NegativesConfig.FLOW)) {
                throw new InputException(null, "--sample-negatives", sampleNegatives, "flow squares are decoded "
                        + "inside the training loop, not pasted beforehand; see them with gen flow sample --model RUN");
            }
            return sampleNegatives(c, model, sampleNegatives, common, o);
        }
        return train(c, loss, model, common, o).diverged() ? Gen.EXIT_FAILURE : Gen.EXIT_OK;
    }

    /** --flow and --joint only with flow negatives, and flow negatives only with a flow. */
    private void checkFlow(TrainConfig c, Path flow) {
        TrainConfig.NegativesConfig n = c.data().negatives();
        boolean fromFlow = c.loss().usesNegatives() && n.source().equals(TrainConfig.NegativesConfig.FLOW);
        if (joint && !fromFlow) {
            throw new InputException(null, "--joint", true, "trains a flow only with flow negatives (--negatives "
                    + "flow --flow RUN); this run's negatives are " + (c.loss().usesNegatives() ? n.source()
                    : "none (loss " + loss + ")"));
        }
        boolean pastesFlow = c.loss().usesNegatives()
                && java.util.Arrays.asList(n.source().split("[+:]")).contains(TrainConfig.NegativesConfig.FLOW);
        if (flow != null && !pastesFlow) {
            throw new InputException(null, "--flow", flow, "is read only with --negatives flow (or a mixture naming "
                    + "the flow source)");
        }
        if (fromFlow && n.flow().run() == null) {
            throw new InputException(null, "--flow", null, "--negatives flow needs the flow's run folder: --flow RUN "
                    + "(gen flow train --out RUN)");
        }
    }
}
