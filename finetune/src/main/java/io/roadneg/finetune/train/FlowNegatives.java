package io.roadneg.finetune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Seeds;
import io.roadneg.finetune.data.Batch;
import io.roadneg.finetune.data.FlowPatches;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.train.TrainConfig.FlowNegativesConfig;
import io.roadneg.flows.Adamax;
import io.roadneg.flows.DenseFlow;
import io.roadneg.flows.DenseFlowConfig;
import io.roadneg.flows.FlowRun;
import io.roadneg.flows.Noise;
import io.roadneg.flows.nn.Scalars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A DenseFlow as the source of a fine-tune's negatives, as the authors' joint trainer uses one (public code
 * github.com/matejgrcic/Open-set-M2F, {@code mask2former/trainers/joint_trainer.py}): each planned square
 * ({@link FlowPatches}) is decoded from a fresh latent ({@link DenseFlow#sampleContinuous}, values clipped to [0, 1])
 * and pasted over the crop. A frozen flow is decoded outside gradient recording. A joint flow is decoded inside it, so
 * the segmenter's whole loss reaches the flow's parameters through the pasted pixels (with the same sign and weight
 * 1, as there: the segmenter's loss and the flow's likelihood term share one backward pass), and it adds the flow's
 * negative log-likelihood of the inlier pixels each square covered, in bits per dimension (its MLE term, weight 1);
 * its own Adamax steps it. Latents and the likelihood's noise come from per-sample streams of (run seed, sample
 * index), {@link Seeds#TRAIN_FLOW_SAMPLE} and {@link Seeds#TRAIN_FLOW_NLL}.
 */
public final class FlowNegatives implements AutoCloseable {
    /** The flow's parameters in a fine-tune checkpoint (ParamStore names, as a flow run's {@code flow.npz}). */
    public static final String FLOW_FILE = "flow.npz";
    /** The flow's Adamax state in a fine-tune checkpoint. */
    public static final String FLOW_OPTIMIZER_FILE = "flow-optimizer.npz";
    /** The flow's likelihood term in the training log. */
    public static final String NLL_TERM = "flow_nll";

    private final DenseFlow flow;
    private final String source;
    private final FlowNegativesConfig config;
    private final Adamax adamax;
    private final DenseFlowConfig flowConfig;

    /**
     * @param flow the flow (owned from here on: closed with this)
     * @param source where it came from, for logs and provenance
     */
    public FlowNegatives(DenseFlow flow, String source, FlowNegativesConfig config) {
        this(flow, source, config, null);
    }

    private FlowNegatives(DenseFlow flow, String source, FlowNegativesConfig config, DenseFlowConfig flowConfig) {
        this.flowConfig = flowConfig;
        this.flow = flow;
        this.source = source;
        this.config = config;
        this.adamax = config.joint() ? new Adamax(flow.params().parameters(), config.betas().get(0),
                config.betas().get(1), config.eps()) : null;
    }

    /** The flow of a flow run folder ({@code --flow}); a one-line error when the folder is not one. */
    public static FlowNegatives open(Path run, FlowNegativesConfig config, ai.djl.Device device) {
        if (io.roadneg.flows.imported.TorchScriptFlow.isExport(run)) {
            throw new InputException(run, "--flow", run, "is an exported TorchScript flow: squares in the training "
                    + "loop need a gen flow train run (its weights train with --joint); paste the export's samples "
                    + "first (gen paste --src flow --flow DIR --out NEG) and fine-tune with --negatives NEG");
        }
        FlowRun r = FlowRun.open(run, device, "--flow");
        return new FlowNegatives(r.flow(), r.describe(), config, r.config());
    }

    /** Whether the flow trains in the loop. */
    public boolean joint() {
        return adamax != null;
    }

    /** The flow. */
    public DenseFlow flow() {
        return flow;
    }

    /** Where the flow came from. */
    public String source() {
        return source;
    }

    /** The planner of the squares for crops of {@code cropH} x {@code cropW}. */
    public FlowPatches patches(int cropH, int cropW) {
        return new FlowPatches(config, s -> decodable(s), cropH, cropW);
    }

    private boolean decodable(int side) {
        try {
            flow.checkSize(side, side, "side");
            return true;
        } catch (InputException e) {
            return false;
        }
    }

    /**
     * The batch's images with every planned square pasted: {@code x} (normalised, (N + R) x 3 x H x W) where no
     * square is, the flow's sample normalised the same way inside each. Call inside gradient recording for a joint
     * flow, outside for a frozen one.
     *
     * @param firstSample the run's index of the batch's first sample (step x batch size)
     */
    public NDArray paste(NDManager m, NDArray x, Batch b, Normalization norm, long runSeed, long firstSample) {
        int h = b.height();
        int w = b.width();
        NDArray mean = m.create(toFloats(norm.mean()), new Shape(3, 1, 1));
        NDArray std = m.create(toFloats(norm.std()), new Shape(3, 1, 1));
        NDList items = new NDList();
        for (int j = 0; j < b.total(); j++) {
            NDArray xi = x.get(j);
            FlowPatches.Patch p = j < b.n() ? b.patches().get(j) : null;
            if (p != null) {
                long g = firstSample + j;
                NDArray s = flow.sampleContinuous(m, 1, p.side(), p.side(), config.temperature(),
                        Noise.seeded(Seeds.of(runSeed, Seeds.TRAIN_FLOW_SAMPLE, g), 0), joint());
                if (!joint()) {
                    s = s.stopGradient();
                }
                NDArray normalised = s.squeeze(0).clip(0, 1).sub(mean).div(std);
                NDArray canvas = normalised.pad(new Shape(p.x(), w - p.x() - p.side(), p.y(), h - p.y() - p.side()),
                        0);
                float[] keep = new float[h * w];
                java.util.Arrays.fill(keep, 1f);
                for (int r = p.y(); r < p.y() + p.side(); r++) {
                    java.util.Arrays.fill(keep, r * w + p.x(), r * w + p.x() + p.side(), 0f);
                }
                xi = xi.mul(m.create(keep, new Shape(1, h, w))).add(canvas);
            }
            items.add(xi);
        }
        return NDArrays.stack(items);
    }

    /**
     * The flow's negative log-likelihood of the inlier pixels the batch's squares covered, bits per dimension over
     * all of them (a scalar), computed in training mode; null when the batch has no square.
     */
    public NDArray nll(NDManager m, Batch b, long runSeed, long firstSample) {
        NDArray sum = null;
        long dims = 0;
        for (int j = 0; j < b.n(); j++) {
            FlowPatches.Patch p = b.patches().get(j);
            if (p == null) {
                continue;
            }
            NDArray img = m.create(p.inlier(), new Shape(1, 3, p.side(), p.side()));
            NDArray lp = flow.logProb(img, true, Noise.seeded(Seeds.of(runSeed, Seeds.TRAIN_FLOW_NLL,
                    firstSample + j), 0)).sum();
            sum = sum == null ? lp : sum.add(lp);
            dims += p.inlier().length;
        }
        return sum == null ? null : Scalars.times(sum, -1.0 / (Math.log(2) * dims));
    }

    /** One Adamax step of a joint flow at its learning rate (its gradients are then zeroed). */
    public void step() {
        adamax.step(config.lr());
    }

    /** The sub-folder of a fine-tune run that holds its jointly trained flow as a flow run. */
    public static final String FLOW_RUN_DIR = "flow";

    /**
     * Writes the jointly trained flow as a flow run folder ({@code gen flow train}'s layout: {@code config.yaml}
     * and {@code checkpoints/step-N}), so {@code gen flow sample --model RUN/flow} and {@code --flow RUN/flow}
     * use it like any flow; null when the flow is frozen or its configuration is not known.
     */
    public Path exportRun(Path dir, long step, String fineTune) {
        if (adamax == null || flowConfig == null) {
            return null;
        }
        FlowRun.writeConfig(dir, flowConfig);
        com.fasterxml.jackson.databind.node.ObjectNode state = new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("step", step).put("jointlyTrainedIn", fineTune).put("from", source);
        return FlowRun.writeCheckpoint(dir, step, flow, adamax, state);
    }

    /** Writes a joint flow's parameters and optimiser state into a checkpoint folder. */
    public void save(Path dir) throws IOException {
        flow.params().save(dir.resolve(FLOW_FILE));
        adamax.save(dir.resolve(FLOW_OPTIMIZER_FILE));
    }

    /** Loads a joint flow's parameters and optimiser state from a checkpoint folder {@link #save} wrote. */
    public void load(Path dir) throws IOException {
        for (String f : List.of(FLOW_FILE, FLOW_OPTIMIZER_FILE)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new InputException(dir.resolve(f), "--resume", dir, "the checkpoint of a joint flow run lacks "
                        + f);
            }
        }
        FlowRun.loadParams(flow, dir.resolve(FLOW_FILE), "--resume");
        adamax.load(dir.resolve(FLOW_OPTIMIZER_FILE));
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @Override
    public void close() {
        if (adamax != null) {
            adamax.close();
        }
        flow.close();
    }
}
