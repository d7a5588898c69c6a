package io.roadneg.finetune.loss;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** The loss recipe of a run ({@code loss.type}); defaults are the reference values (notes: methods.md). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LossConfig.Ce.class, name = "ce"),
    @JsonSubTypes.Type(value = LossConfig.DenseHybrid.class, name = "densehybrid"),
    @JsonSubTypes.Type(value = LossConfig.Rpl.class, name = "rpl"),
    @JsonSubTypes.Type(value = LossConfig.Pebal.class, name = "pebal"),
    @JsonSubTypes.Type(value = LossConfig.MetaOod.class, name = "metaood"),
    @JsonSubTypes.Type(value = LossConfig.NFlowJs.class, name = "nflowjs")})
public sealed interface LossConfig {
    /** The composite loss. */
    CompositeLoss build();

    /** Whether the recipe trains on pasted negatives. */
    default boolean usesNegatives() {
        return true;
    }

    /** Whether the batches carry raw views of the pasted objects (RPL's CoroCL contrast set). */
    default boolean usesRawViews() {
        return false;
    }

    /** Plain cross-entropy on inliers (the base model). */
    record Ce() implements LossConfig {
        @Override
        public CompositeLoss build() {
            return new CompositeLoss("ce", List.of(new CompositeLoss.Weighted(Terms.crossEntropy("ce"), 1)));
        }

        @Override
        public boolean usesNegatives() {
            return false;
        }
    }

    /** DenseHybrid: CE + beta * lse_neg + doutFactor * beta * dout; reference beta 0.03, factor 10. */
    record DenseHybrid(double beta, double doutFactor) implements LossConfig {
        /** Checks the weights. */
        public DenseHybrid {
            if (!(beta >= 0) || !(doutFactor >= 0)) {
                throw new IllegalArgumentException("loss.beta and loss.doutFactor must be >= 0, found " + beta + ", "
                        + doutFactor);
            }
        }

        @Override
        public CompositeLoss build() {
            return new CompositeLoss("densehybrid", List.of(
                    new CompositeLoss.Weighted(Terms.crossEntropy("ce"), 1),
                    new CompositeLoss.Weighted(Terms.logSumExpOnNegatives(), beta),
                    new CompositeLoss.Weighted(Terms.datasetPosterior(), doutFactor * beta)));
        }
    }

    /**
     * RPL on a frozen base: inlier_ce + entropy_mse + energyWeight * energy_out + contrastWeight * contrast;
     * reference energy weight 0.05, temperature 0.10, 512 samples. {@code energyAnchor} (not in RPL; 0, the
     * default, leaves the reference loss) adds that weight times energy_anchor, which holds the inliers' energy at
     * the frozen base's: RPL's inlier terms do not change when every logit shifts by the same amount, so energy_out
     * can be lowered by lowering the energy of every pixel.
     */
    record Rpl(double energyWeight, double contrastWeight, double temperature, int samples, Double energyAnchor)
            implements LossConfig {
        /** Checks the values. */
        public Rpl {
            energyAnchor = energyAnchor == null ? 0.0 : energyAnchor;
            if (!(energyWeight >= 0) || !(contrastWeight >= 0) || !(energyAnchor >= 0)) {
                throw new IllegalArgumentException("loss.energyWeight, loss.contrastWeight and loss.energyAnchor "
                        + "must be >= 0, found " + energyWeight + ", " + contrastWeight + ", " + energyAnchor);
            }
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("loss.temperature must be > 0, found " + temperature);
            }
            if (samples < 2) {
                throw new IllegalArgumentException("loss.samples must be >= 2, found " + samples);
            }
        }

        @Override
        public boolean usesRawViews() {
            return contrastWeight > 0;
        }

        @Override
        public CompositeLoss build() {
            return new CompositeLoss("rpl", List.of(
                    new CompositeLoss.Weighted(Terms.rplInlierCe(), 1),
                    new CompositeLoss.Weighted(Terms.rplEntropyMse(), 1),
                    new CompositeLoss.Weighted(Terms.rplEnergyOut(), energyWeight),
                    new CompositeLoss.Weighted(Terms.contrastive(temperature, samples), contrastWeight),
                    new CompositeLoss.Weighted(Terms.rplEnergyAnchor(), energyAnchor)));
        }
    }

    /**
     * PEBAL: gambler (negatives weighted oodReg, reference 0.1) + energyWeight * (energy_hinge + sparsity *
     * energy_sparsity + smooth * energy_smooth); reference energyWeight 0.1, m_in -12, m_out -6, sparsity 5e-4,
     * smooth 3e-6. Missing fields take the reference values.
     */
    record Pebal(double energyWeight, double mIn, double mOut, Double oodReg, Double sparsity, Double smooth)
            implements LossConfig {
        /** Checks the values. */
        public Pebal {
            oodReg = oodReg == null ? 0.1 : oodReg;
            sparsity = sparsity == null ? 5e-4 : sparsity;
            smooth = smooth == null ? 3e-6 : smooth;
            if (!(energyWeight >= 0) || !(oodReg >= 0) || !(sparsity >= 0) || !(smooth >= 0)) {
                throw new IllegalArgumentException("loss.energyWeight, loss.oodReg, loss.sparsity and loss.smooth "
                        + "must be >= 0, found " + energyWeight + ", " + oodReg + ", " + sparsity + ", " + smooth);
            }
            if (!(mIn < mOut)) {
                throw new IllegalArgumentException("loss.mIn must be below loss.mOut, found " + mIn + ", " + mOut);
            }
        }

        @Override
        public CompositeLoss build() {
            return new CompositeLoss("pebal", List.of(
                    new CompositeLoss.Weighted(Terms.gambler(oodReg), 1),
                    new CompositeLoss.Weighted(Terms.energyHinge(mIn, mOut), energyWeight),
                    new CompositeLoss.Weighted(Terms.energySparsity(), energyWeight * sparsity),
                    new CompositeLoss.Weighted(Terms.energySmoothness(), energyWeight * smooth)));
        }
    }

    /**
     * NFlowJS: CE on inliers + lambda * JSD(uniform, softmax) on negatives ({@code jsd_neg}); reference lambda 0.03
     * (configs/finetune/nflowjs.yaml says where each number comes from).
     */
    record NFlowJs(double lambda) implements LossConfig {
        /** Checks lambda. */
        public NFlowJs {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("loss.lambda must be >= 0, found " + lambda);
            }
        }

        @Override
        public CompositeLoss build() {
            return new CompositeLoss("nflowjs", List.of(
                    new CompositeLoss.Weighted(Terms.crossEntropy("ce"), 1),
                    new CompositeLoss.Weighted(Terms.jsdOnNegatives(), lambda)));
        }
    }

    /** Meta-OOD entropy maximisation: (1 - lambda) CE on inliers + lambda CE-to-uniform on negatives (0.9). */
    record MetaOod(double lambda) implements LossConfig {
        /** Checks lambda. */
        public MetaOod {
            if (!(lambda >= 0 && lambda <= 1)) {
                throw new IllegalArgumentException("loss.lambda must be in [0, 1], found " + lambda);
            }
        }

        @Override
        public CompositeLoss build() {
            return new CompositeLoss("metaood", List.of(
                    new CompositeLoss.Weighted(Terms.crossEntropy("ce"), 1 - lambda),
                    new CompositeLoss.Weighted(Terms.uniformOnNegatives(), lambda)));
        }
    }
}
