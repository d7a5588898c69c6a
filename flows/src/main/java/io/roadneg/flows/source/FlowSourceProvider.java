package io.roadneg.flows.source;

import io.roadneg.datasets.InputException;
import io.roadneg.flows.DenseFlowConfig;
import io.roadneg.flows.FlowRun;
import io.roadneg.flows.FlowSampler;
import io.roadneg.flows.imported.TorchScriptFlow;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSourceProvider;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.SourceContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code flow} outlier source: samples of a flow run ({@code --flow RUN}, else the recipe's {@code source.run}),
 * so {@code gen paste --src flow} pastes flow negatives with no edit of the command line. ({@code gen finetune
 * --negatives flow} reads the same {@code --flow} run but samples its squares inside the training loop, where the
 * flow can train jointly with the segmenter; a mixture such as {@code flow:0.5+ade20k:0.5} pastes through this
 * source.)
 */
public final class FlowSourceProvider implements OutlierSourceProvider {
    static final DatasetRoot FLOW = new DatasetRoot("flow", "--flow",
            "Flow run folder (gen flow train --out): the flow source of gen paste, and the squares of "
            + "gen finetune --negatives flow.");

    @Override
    public String type() {
        return "flow";
    }

    @Override
    public Class<FlowSourceConfig> configType() {
        return FlowSourceConfig.class;
    }

    @Override
    public List<String> presets() {
        return List.of("densehybrid-flow");
    }

    @Override
    public List<DatasetRoot> roots() {
        return List.of(FLOW);
    }

    @Override
    public OutlierSource open(PasteConfig.Source config, SourceContext context) {
        FlowSourceConfig c = (FlowSourceConfig) config;
        Path given = context.root(FLOW.name());
        Path run = given != null ? given : c.run() != null ? Path.of(c.run()) : null;
        if (run == null) {
            throw new InputException(null, FLOW.option(), "missing", "the flow source samples a trained flow: give "
                    + "--flow RUN (a gen flow train --out folder) or source.run");
        }
        return new FlowSource(FlowSampler.open(run, null, given != null ? FLOW.option() : "source.run"), c);
    }

    @Override
    public RootCheck check(DatasetRoot root, Path path) {
        try {
            if (TorchScriptFlow.isExport(path)) {
                TorchScriptFlow.Meta m = TorchScriptFlow.readMeta(path);
                return new RootCheck(RootCheck.Status.OK, path + " (exported flow: " + m.summary() + ")", null);
            }
            DenseFlowConfig cfg = DenseFlowConfig.load(path.resolve(FlowRun.CONFIG), Map.of());
            Path cp = FlowRun.latestCheckpoint(path, FLOW.option());
            return new RootCheck(RootCheck.Status.OK, path + " (" + cfg.name() + ", " + cp.getFileName() + ")", null);
        } catch (InputException e) {
            return new RootCheck(RootCheck.Status.MISSING, e.getMessage(), "point " + FLOW.option() + " at a folder "
                    + "that gen flow train --out made, or at an export folder (flow.json, flow.pt)");
        }
    }
}
