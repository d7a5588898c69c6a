package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.config.Configs;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.finetune.data.FolderNegatives;
import io.roadneg.finetune.data.MixedNegatives;
import io.roadneg.finetune.data.NegativeSpec;
import io.roadneg.finetune.data.NegativeSource;
import io.roadneg.finetune.data.PastedNegatives;
import io.roadneg.finetune.score.Score;
import io.roadneg.finetune.train.FlowNegatives;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.finetune.train.Trainer;
import io.roadneg.finetune.train.Validation;
import io.roadneg.generators.PasteConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code gen train} and {@code gen finetune} share: data roots, the sample data, negatives, validation. */
abstract class TrainCommands {
    /** Sample-data folder of each benchmark {@code gen sample-data} makes. */
    static final Map<String, String> SAMPLE_BENCHMARKS = Map.of("smiyc-anomaly", "smiyc", "smiyc-obstacle", "smiyc",
            "fs-laf", "fishyscapes", "fs-static", "fishyscapes", "road-anomaly-masks", "road_anomaly");

    @Mixin
    DatasetRootOptions roots;

    @Mixin
    DeviceOption device;

    @Option(names = "--split", defaultValue = "train", paramLabel = "NAME", description = "Training split.")
    String split;

    @Option(names = "--validate-root", paramLabel = "DIR", description = "Root of the benchmark named by "
            + "train.validate (default: its sample set).")
    Path validateRoot;

    @Option(names = "--profile", paramLabel = "NAME", description = "reference (the recipe as written) or "
            + "sample-cpu (quick runs; the default with the sample data).")
    String profile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder (checkpoints, logs).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its latest checkpoint.")
    boolean resume;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N", description = "Stop after N steps in all "
            + "(0: the whole schedule).")
    long maxSteps;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    boolean usesSample() {
        return roots.cityscapesRoot() == null;
    }

    private SourceRoots context;

    SourceRoots context(PrintWriter o) {
        if (context == null) {
            context = new SourceRoots(roots, o, quiet, "gen");
        }
        return context;
    }

    /** Loads the recipe with the profile (sample-cpu by default on the sample data), a file and overrides. */
    TrainConfig config(String recipe, CommonOptions common, Map<String, String> extra, PrintWriter o) {
        String p = profile != null ? profile : usesSample() ? "sample-cpu" : "reference";
        Map<String, String> ov = new LinkedHashMap<>(extra);
        ov.putAll(common.overrides());
        TrainConfig c = Recipes.load(recipe, p, common.config(), ov);
        o.printf("recipe %s, profile %s%s%n", recipe, p, usesSample() ? ", bundled sample data in " + roots.sampleDir()
                : "");
        return c;
    }

    Trainer.Result train(TrainConfig c, String recipe, Path init, CommonOptions common, PrintWriter o)
            throws java.io.IOException {
        ai.djl.Device d = device.resolve(o);
        Path cs = context(o).cityscapes();
        NegativeSource neg = negatives(c, o);
        Validation val = validation(c, cs, o);
        TrainConfig.NegativesConfig n = c.data().negatives();
        FlowNegatives flow = c.loss().usesNegatives() && n.source().equals(TrainConfig.NegativesConfig.FLOW)
                ? FlowNegatives.open(Path.of(n.flow().run()), n.flow(), d) : null;
        Trainer.Options opts = new Trainer.Options(c, Configs.toYaml(c), out, cs, split, init, neg, val,
                common.seed(), resume, maxSteps, ProgressBars.stderr(quiet), o, d, flow);
        Trainer.Result r = Trainer.run(opts);
        if (r.diverged()) {
            o.println("run stopped: " + r.stopReason());
        } else if (r.checkpoint() == null && r.steps() >= r.totalSteps()) {
            o.printf(Locale.ROOT, "already finished: %d of %d steps, nothing to do%n", r.steps(), r.totalSteps());
        } else {
            o.printf(Locale.ROOT, "done: %d of %d steps, last loss %.4f; checkpoint %s%n", r.steps(), r.totalSteps(),
                    r.lastLoss(), r.checkpoint());
        }
        return r;
    }

    /**
     * Writes what the run would train on without training: the negatives of its first {@code count} samples that
     * carry any, as {@link NegativeSample} stats and a preview sheet in {@code --out}.
     */
    int sampleNegatives(TrainConfig c, Path init, int count, CommonOptions common, PrintWriter o) {
        Path cs = context(o).cityscapes();
        NegativeSource neg = negatives(c, o);
        Trainer.Options opts = new Trainer.Options(c, Configs.toYaml(c), out, cs, split, init, neg, null,
                common.seed(), false, 0, io.roadneg.datasets.Progress.NONE, o, null);
        List<Trainer.NegativeDraw> draws = Trainer.negativeDraws(opts, count);
        NegativeSample.write(draws, c.data().negatives().source(), out);
        o.printf(Locale.ROOT, "%d samples with negatives: %s%n", draws.size(), out.resolve(NegativeSample.FILE));
        return Gen.EXIT_OK;
    }

    private NegativeSource negatives(TrainConfig c, PrintWriter o) {
        TrainConfig.NegativesConfig n = c.data().negatives();
        if (!c.loss().usesNegatives() || n.source().equals("none")
                || n.source().equals(TrainConfig.NegativesConfig.FLOW)) {
            return null;
        }
        if (n.source().equals("dir")) {
            return new FolderNegatives(Path.of(n.dir()), split);
        }
        List<PasteConfig> pcs = Recipes.pasteConfigs(n);
        if (pcs.size() == 1) {
            return new PastedNegatives(pcs.get(0), context(o).open(pcs.get(0)));
        }
        List<NegativeSource> parts = new java.util.ArrayList<>();
        for (PasteConfig pc : pcs) {
            parts.add(new PastedNegatives(pc, context(o).open(pc)));
        }
        return new MixedNegatives(parts, NegativeSpec.parse(n.source()).shares());
    }

    private Validation validation(TrainConfig c, Path cs, PrintWriter o) {
        CityscapesDataset ds = CityscapesDataset.open(cs);
        List<CityscapesDataset.CityscapesFrame> val = ds.splits().contains("val") ? ds.labelledFrames("val")
                : List.of();
        String name = c.train().validate();
        Benchmark b = name == null || name.isBlank() ? null : Benchmark.byName(name);
        Path root = null;
        if (b != null) {
            root = validateRoot;
            if (root == null) {
                String sub = SAMPLE_BENCHMARKS.get(b.cliName());
                if (sub == null) {
                    throw new InputException(null, "--validate-root", null, "needed for train.validate " + name);
                }
                root = context(o).sampleData().resolve(sub);
            }
        }
        Score s = switch (c.loss().build().name()) {
            case "densehybrid" -> Score.DENSEHYBRID;
            case "rpl" -> Score.RPL;
            case "pebal" -> Score.ENERGY;
            case "ce" -> Score.MSP;
            case "nflowjs" -> Score.JSD;
            default -> Score.ENTROPY;
        };
        if (val.isEmpty() && b == null) {
            return null;
        }
        return new Validation(val, b, root, s);
    }
}
