package io.roadneg.finetune.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.roadneg.finetune.loss.LossConfig;
import io.roadneg.finetune.model.LadderSpec;
import io.roadneg.generators.OutlierSources;
import java.util.List;

/**
 * A training or fine-tuning run, as in {@code configs/finetune/*.yaml}: model, loss, optimiser, data and schedule.
 *
 * @param version config format version (1)
 * @param name the recipe's name
 */
public record TrainConfig(int version, String name, ModelConfig model, LossConfig loss, OptimizerConfig optimizer,
        DataConfig data, ScheduleConfig train) {
    /** Checks the version and that every section is present. */
    public TrainConfig {
        if (version != 1) {
            throw new IllegalArgumentException("version must be 1, found " + version);
        }
        if (model == null || loss == null || optimizer == null || data == null || train == null) {
            throw new IllegalArgumentException("model, loss, optimizer, data and train sections are required");
        }
    }

    /**
     * The network: {@code type: ladder} (built in, sized by {@code ladder}) or {@code type: torchscript} (a folder
     * following the segmenter contract); {@code classes} known classes (19 for Cityscapes train ids).
     */
    public record ModelConfig(String type, LadderSpec ladder, String torchscript, int classes) {
        /** Checks the values. */
        public ModelConfig {
            if (!"ladder".equals(type) && !"torchscript".equals(type)) {
                throw new IllegalArgumentException("model.type must be ladder or torchscript, found " + type);
            }
            if ("ladder".equals(type) && ladder == null) {
                throw new IllegalArgumentException("model.ladder is required for model.type ladder");
            }
            if (classes < 2 || classes > 253) {
                throw new IllegalArgumentException("model.classes must be in 2..253, found " + classes);
            }
        }
    }

    /** Adam (decoupled weight decay when weightDecay > 0) with a constant or poly learning rate. */
    public record OptimizerConfig(double lr, List<Double> betas, double eps, double weightDecay, String schedule,
            double power) {
        /** Checks the values. */
        public OptimizerConfig {
            if (!(lr > 0)) {
                throw new IllegalArgumentException("optimizer.lr must be > 0, found " + lr);
            }
            if (betas == null || betas.size() != 2 || !(betas.get(0) >= 0 && betas.get(0) < 1)
                    || !(betas.get(1) >= 0 && betas.get(1) < 1)) {
                throw new IllegalArgumentException("optimizer.betas must be two numbers in [0, 1), found " + betas);
            }
            if (!(eps > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("optimizer.eps must be > 0 and weightDecay >= 0");
            }
            if (!"constant".equals(schedule) && !"poly".equals(schedule)) {
                throw new IllegalArgumentException("optimizer.schedule must be constant or poly, found " + schedule);
            }
        }

        /** The learning rate at a step of a run of {@code total} steps. */
        public double lrAt(long step, long total) {
            if (schedule.equals("constant") || total <= 0) {
                return lr;
            }
            return lr * Math.pow(Math.max(0.0, 1.0 - (double) step / total), power);
        }
    }

    /**
     * Training data: random scale in {@code scale}, a {@code crop} (height, width) crop, horizontal flips; each
     * sample carries pasted negatives with probability {@code negatives.mix}.
     */
    public record DataConfig(int batch, List<Integer> crop, List<Double> scale, boolean flip, NegativesConfig negatives,
            int workers) {
        /** Checks the values. */
        public DataConfig {
            if (batch < 1) {
                throw new IllegalArgumentException("data.batch must be >= 1, found " + batch);
            }
            if (crop == null || crop.size() != 2 || crop.get(0) < 8 || crop.get(1) < 8) {
                throw new IllegalArgumentException("data.crop must be [height, width], each >= 8, found " + crop);
            }
            if (scale == null || scale.size() != 2 || !(scale.get(0) > 0) || scale.get(1) < scale.get(0)) {
                throw new IllegalArgumentException("data.scale must be [min, max] with 0 < min <= max, found "
                        + scale);
            }
            if (negatives == null) {
                throw new IllegalArgumentException("data.negatives is required");
            }
            if (workers < 1) {
                throw new IllegalArgumentException("data.workers must be >= 1, found " + workers);
            }
        }
    }

    /**
     * Where negatives come from: {@code none}, a paste recipe run on the fly (any registered outlier source:
     * {@code coco}, {@code ade20k}, {@code patches}, ...; with {@code preset}), {@code dir}: a finished {@code gen paste} output at {@code dir},
     * or {@code flow}: squares sampled from a normalizing flow in the training loop ({@code flow}, see
     * {@link FlowNegativesConfig}).
     * {@code referenceWidth}, when set, replaces the preset's {@code placement.referenceWidth} (0: the recipe's pixel
     * sizes as written, whatever the frame width). {@code area} and {@code objects}, when set, replace the preset's
     * pasted-area draw and object count ({@code placement.area}, {@code placement.objects}, with
     * {@code placement.probability} 1), so every source pastes from one distribution ({@code gen ablate}'s
     * {@code area: matched}).
     */
    public record NegativesConfig(String source, String preset, String dir, double mix,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer referenceWidth,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> area,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> objects,
            @JsonInclude(JsonInclude.Include.NON_NULL) FlowNegativesConfig flow) {
        /** Source name of negatives sampled from a flow in the training loop. */
        public static final String FLOW = "flow";

        /** Checks the values. */
        public NegativesConfig {
            if (FLOW.equals(source) && flow == null) {
                flow = new FlowNegativesConfig(null, null, null, null, null, null, null, null, null);
            }
            if (area != null && (area.size() != 2 || !(area.get(0) > 0) || area.get(1) < area.get(0)
                    || area.get(1) > 1)) {
                throw new IllegalArgumentException("data.negatives.area must be [min, max] fractions of the frame "
                        + "with 0 < min <= max <= 1, found " + area);
            }
            if (objects != null && (objects.size() != 2 || objects.get(0) < 1 || objects.get(1) < objects.get(0))) {
                throw new IllegalArgumentException("data.negatives.objects must be [min, max] with 1 <= min <= max, "
                        + "found " + objects);
            }
            if ((area == null) != (objects == null)) {
                throw new IllegalArgumentException("data.negatives.area and data.negatives.objects go together (one "
                        + "distribution of area and count for every source), found " + area + " and " + objects);
            }
            if (referenceWidth != null && referenceWidth < 0) {
                throw new IllegalArgumentException("data.negatives.referenceWidth must be >= 0, found "
                        + referenceWidth);
            }
            if (source == null || !source.equals("none") && !source.equals("dir") && !source.equals(FLOW)
                    && !io.roadneg.finetune.data.NegativeSpec.isSpec(source)) {
                throw new IllegalArgumentException("data.negatives.source must be none, dir, flow (squares sampled "
                        + "from a flow in the training loop), an outlier source ("
                        + String.join(", ", OutlierSources.types()) + "), a mask variant (coco:box) or a mixture "
                        + "(coco:0.5+ade20k:0.5), found " + source);
            }
            if (source.equals("dir") && (dir == null || dir.isBlank())) {
                throw new IllegalArgumentException("data.negatives.dir is required with source dir");
            }
            if (!(mix >= 0 && mix <= 1)) {
                throw new IllegalArgumentException("data.negatives.mix must be in [0, 1], found " + mix);
            }
        }
    }

    /**
     * Negatives sampled from a normalizing flow inside the training loop (DenseHybrid TPAMI, NFlowJS; the joint
     * trainer of the authors' public open-set code, github.com/matejgrcic/Open-set-M2F): each sample that carries
     * negatives gets one square of side drawn uniformly from {@code sides} (in steps of {@code sideStep}, sizes the
     * flow can decode only), stated for frames {@code referenceWidth} wide and scaled by frame width /
     * referenceWidth (0: as written), decoded from a fresh latent at {@code temperature} and pasted at a uniform
     * position; its pixels are labelled as negatives. With {@code joint} the flow trains in the same loop with its own
     * Adamax ({@code lr}, {@code betas}, {@code eps}) on the NLL of the inlier patch each square covers plus the
     * segmenter's loss back-propagated through the squares. Missing fields take the authors' values.
     *
     * @param run the flow's run folder ({@code --flow})
     */
    public record FlowNegativesConfig(String run, List<Integer> sides, Integer sideStep, Integer referenceWidth,
            Double temperature, Boolean joint, Double lr, List<Double> betas, Double eps) {
        /** Applies the defaults and checks the values. */
        public FlowNegativesConfig {
            sides = sides == null ? List.of(16, 216) : List.copyOf(sides);
            sideStep = sideStep == null ? 8 : sideStep;
            referenceWidth = referenceWidth == null ? 2048 : referenceWidth;
            temperature = temperature == null ? 1.0 : temperature;
            joint = joint != null && joint;
            lr = lr == null ? 1e-5 : lr;
            betas = betas == null ? List.of(0.9, 0.999) : List.copyOf(betas);
            eps = eps == null ? 1e-7 : eps;
            if (sides.size() != 2 || sides.get(0) < 1 || sides.get(1) < sides.get(0)) {
                throw new IllegalArgumentException("data.negatives.flow.sides must be [min, max] with 1 <= min <= "
                        + "max, found " + sides);
            }
            if (sideStep < 1) {
                throw new IllegalArgumentException("data.negatives.flow.sideStep must be >= 1, found " + sideStep);
            }
            if (referenceWidth < 0) {
                throw new IllegalArgumentException("data.negatives.flow.referenceWidth must be >= 0, found "
                        + referenceWidth);
            }
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("data.negatives.flow.temperature must be a positive number, found "
                        + temperature);
            }
            if (!(lr > 0)) {
                throw new IllegalArgumentException("data.negatives.flow.lr must be > 0, found " + lr);
            }
            if (betas.size() != 2 || !(betas.get(0) >= 0 && betas.get(0) < 1)
                    || !(betas.get(1) >= 0 && betas.get(1) < 1)) {
                throw new IllegalArgumentException("data.negatives.flow.betas must be two numbers in [0, 1), found "
                        + betas);
            }
            if (!(eps > 0)) {
                throw new IllegalArgumentException("data.negatives.flow.eps must be > 0, found " + eps);
            }
        }
    }

    /**
     * The schedule: epochs of {@code stepsPerEpoch} steps (0: one pass over the training frames), a checkpoint and a
     * validation after each epoch ({@code validate}: a benchmark name from {@code gen eval}, or empty for none).
     */
    public record ScheduleConfig(int epochs, int stepsPerEpoch, String validate, int logEvery) {
        /** Checks the values. */
        public ScheduleConfig {
            if (epochs < 1) {
                throw new IllegalArgumentException("train.epochs must be >= 1, found " + epochs);
            }
            if (stepsPerEpoch < 0) {
                throw new IllegalArgumentException("train.stepsPerEpoch must be >= 0, found " + stepsPerEpoch);
            }
            if (logEvery < 1) {
                throw new IllegalArgumentException("train.logEvery must be >= 1, found " + logEvery);
            }
        }
    }
}
