package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.image.Images;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSources;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.PasteJob;
import io.roadneg.generators.Presets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen paste}: builds an outlier set by pasting source objects into Cityscapes scenes. */
@Command(name = "paste", mixinStandardHelpOptions = true,
        description = {"Paste COCO / ADE20K objects or random patches into Cityscapes scenes: a training-ready outlier "
                + "set in the Cityscapes layout (labelTrainIds with 254, labelIds, _ood.png 0/1/255), a manifest, a "
                + "COCO JSON of the pasted objects and a preview sheet.",
            "Without dataset roots it uses the bundled sample data (made on first use in --sample-data).",
            "Sources and presets: those of the registered outlier sources (listed under --src and --preset)."})
final class PasteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--src", required = true, paramLabel = "SOURCE", completionCandidates = SourceTypes.class,
            description = "Outlier source: ${COMPLETION-CANDIDATES}.")
    String src;

    @Option(names = "--dst", defaultValue = "cityscapes", paramLabel = "cityscapes",
            description = "Destination dataset (default: ${DEFAULT-VALUE}).")
    String dst;

    @Option(names = "--preset", paramLabel = "NAME", completionCandidates = PresetNames.class,
            description = "Recipe preset: ${COMPLETION-CANDIDATES} (default: the source's first); --config and --set "
                    + "overlay it.")
    String preset;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Amount amount = new Amount();

    /** How many outputs: a total, or a number per destination frame; not both. */
    static final class Amount {
        @Option(names = "--count", paramLabel = "N", description = "Number of outputs, cycling over destination "
                + "frames.")
        Integer count;

        @Option(names = "--per-image", paramLabel = "K", description = "Outputs per destination frame (default 1).")
        Integer perImage;
    }

    @Option(names = "--split", defaultValue = "train", description = "Destination split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (resumable).")
    Path out;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    DatasetRootOptions roots;

    @Option(names = "--mask-from", paramLabel = "annotation|box",
            description = "COCO instance masks from the annotation (default) or from a box-prompted segmenter run on "
                    + "the annotation's bbox (same as --set source.maskFrom=box).")
    String maskFrom;

    @Option(names = "--prompter", paramLabel = "SPEC",
            description = "Box-prompted segmenter for --mask-from box: grabcut[:iterations=N,margin=F] (default) or "
                    + "torchscript:DIR.")
    String prompterSpec;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    /**
     * Started by {@link Gen#main} beside picocli's set-up of a {@code gen paste} command line (about 80 ms on one
     * core while the other is idle): the native codecs load, and a preset is read once so that the YAML parser and the
     * recipe's record binding are ready when the command reads its own. Nothing here can fail the run: the command
     * does it all again and reports what goes wrong.
     */
    static void warmUp() {
        Images.preloadNatives();
        try {
            Presets.load(Presets.defaultFor("coco"), null, java.util.Map.of());
        } catch (RuntimeException | LinkageError e) {
            // the command's own load reports it
        }
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        if (!dst.equals("cityscapes")) {
            throw new InputException(null, "--dst", dst, "only cityscapes destinations are supported");
        }
        OutlierSources.get(src, "--src");
        Images.preloadNatives();
        // a config file overlays a preset (the source's default unless --preset names one): the code has no defaults
        String presetName = preset != null ? preset : Presets.defaultFor(src);
        java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>(common.overrides());
        if (maskFrom != null) {
            overrides.put("source.maskFrom", maskFrom);
        }
        if (prompterSpec != null) {
            overrides.put("source.prompter", prompterSpec);
        }
        PasteConfig config = Presets.load(presetName, common.config(), overrides);
        if (!Presets.sourceType(config).equals(src)) {
            throw new InputException(common.config(), "source.type", Presets.sourceType(config),
                    "the recipe's source does not match --src " + src);
        }
        SourceRoots context = new SourceRoots(roots, o, quiet, "gen paste");
        // the source first: a source refusing its input (say, --src flow without --flow) does so before any work
        try (OutlierSource source = context.open(config)) {
            Path cs = context.cityscapes();
            Amount a = amount != null ? amount : new Amount();
            Integer count = a.count;
            Integer perImage = a.count == null && a.perImage == null ? Integer.valueOf(1) : a.perImage;
            PasteJob.Options opts = new PasteJob.Options(config, Configs.toYaml(config), source, cs, split, count,
                    perImage, out, threads, common.seed());
            o.printf("gen paste: recipe %s, source %s (%d items), destination %s/%s, seed %d, %d threads%n",
                    config.name(), source.name(), source.size(), cs, split, common.seed(), threads);
            o.flush();
            PasteJob.Result r = PasteJob.run(opts, ProgressBars.stderr(quiet), note -> {
                o.println("gen paste: " + note);
                o.flush();
            });
            o.printf("made %d, already done %d, skipped %d of %d outputs; %d pasted objects%n", r.made(),
                    r.alreadyDone(), r.skipped().values().stream().mapToInt(Integer::intValue).sum(), r.total(),
                    r.objects());
            r.skipped().forEach((reason, n) -> o.printf("  skipped (%s): %d%n", reason, n));
            r.problems().stream().limit(20).forEach(p -> o.println("  " + p));
            if (r.problems().size() > 20) {
                o.printf("  ... %d more in %s%n", r.problems().size() - 20, r.manifest());
            }
            o.printf("outputs: %s (manifest %s, COCO JSON %s%s)%n", r.out(), r.manifest().getFileName(),
                    r.out().relativize(r.cocoJson()), r.preview() == null ? "" : ", preview " + r.preview()
                            .getFileName());
            return r.made() + r.alreadyDone() == 0 ? Gen.EXIT_FAILURE : Gen.EXIT_OK;
        }
    }

    /** The registered source types, for {@code --src}'s help and completion. */
    static final class SourceTypes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return OutlierSources.types().iterator();
        }
    }

    /** The registered presets, for {@code --preset}'s help and completion. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }
}
