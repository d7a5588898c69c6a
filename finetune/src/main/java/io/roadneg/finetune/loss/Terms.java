package io.roadneg.finetune.loss;

import io.roadneg.flows.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.roadneg.datasets.LabelValues;
import io.roadneg.finetune.model.Head;
import io.roadneg.finetune.model.Ops;
import io.roadneg.finetune.model.SegOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/** The loss terms of the reference methods (notes: methods.md), each a named {@link LossTerm}. */
public final class Terms {
    private Terms() {
    }

    static NDArray pick(NDArray logProbs, NDArray classIndex) {
        return logProbs.gather(classIndex.expandDims(1), 1).squeeze(1);
    }

    /** A named term: {@code compute} gives its unweighted scalar value. */
    private static LossTerm term(String name, BiFunction<SegOutput, Targets, NDArray> compute) {
        return term(name, Set.of(), false, compute);
    }

    /**
     * A named term that reads the heads {@code needs} and, when {@code residual}, the frozen base's logits of an RPL
     * network.
     */
    private static LossTerm term(String name, Set<Head> needs, boolean residual,
            BiFunction<SegOutput, Targets, NDArray> compute) {
        return new LossTerm() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Head> needs() {
                return needs;
            }

            @Override
            public boolean needsResidual() {
                return residual;
            }

            @Override
            public NDArray compute(SegOutput out, Targets t) {
                return compute.apply(out, t);
            }
        };
    }

    /** Cross-entropy on inlier pixels (negatives and void ignored). */
    public static LossTerm crossEntropy(String name) {
        return term(name, (out, t) -> {
            NDArray lp = pick(out.logits().logSoftmax(1), t.classIndex());
            return Targets.masked(lp, t.inlier(), t.inlierCount()).neg();
        });
    }

    /** DenseHybrid's L_x: mean over negative pixels of logsumexp_k s_k (pushes the unnormalised likelihood down). */
    public static LossTerm logSumExpOnNegatives() {
        return term("lse_neg",
                (out, t) -> Targets.masked(Ops.logSumExp(out.logits(), 1, false), t.outlier(), t.outlierCount()));
    }

    /** DenseHybrid's dataset-posterior cross-entropy: label 1 on negatives, 0 elsewhere, over all pixels. */
    public static LossTerm datasetPosterior() {
        return term("dout", Set.of(Head.DOUT), false, (out, t) -> {
            NDArray lp = out.dout().logSoftmax(1);
            NDArray lpOut = lp.get(new NDIndex(":, 1"));
            NDArray lpIn = lp.get(new NDIndex(":, 0"));
            NDArray o = t.outlier();
            return lpOut.mul(o).add(lpIn.mul(o.neg().add(1f))).mean().neg();
        });
    }

    /**
     * NFlowJS's term: mean over negative pixels of the Jensen-Shannon divergence between the uniform distribution
     * over the K classes and the softmax (natural logarithms, so it lies in [0, ln 2]); minimising it pushes the
     * posterior on negatives towards uniform.
     */
    public static LossTerm jsdOnNegatives() {
        return term("jsd_neg", (out, t) -> Targets.masked(jsdToUniform(out.logits()), t.outlier(),
                t.outlierCount()));
    }

    /**
     * Per pixel JSD(U, P) = KL(P || M) / 2 + KL(U || M) / 2 with M = (P + U) / 2, P the softmax of {@code logits}
     * over axis 1 (N x K x H x W in, N x H x W out).
     */
    public static NDArray jsdToUniform(NDArray logits) {
        long k = logits.getShape().get(1);
        NDArray logP = logits.logSoftmax(1);
        NDArray p = logP.exp();
        NDArray logM = Scalars.times(p, 0.5).add((float) (0.5 / k)).log();
        NDArray klPm = p.mul(logP.sub(logM)).sum(new int[] {1});
        NDArray klUm = Scalars.times(logM.sum(new int[] {1}), -1.0 / k).add((float) -Math.log(k));
        return Scalars.times(klPm.add(klUm), 0.5);
    }

    /** RPL inlier term: cross-entropy of the RPL logits against the frozen base's argmax on non-outlier pixels. */
    public static LossTerm rplInlierCe() {
        return term("inlier_ce", Set.of(), true, (out, t) -> {
            NDArray pseudo = out.vanilla().argMax(1).toType(DataType.INT64, false);
            NDArray lp = pick(out.logits().logSoftmax(1), pseudo);
            return Targets.masked(lp, t.inlier(), t.inlierCount()).neg();
        });
    }

    static NDArray entropy(NDArray logits) {
        NDArray lp = logits.logSoftmax(1);
        return lp.exp().mul(lp).sum(new int[] {1}).neg();
    }

    /** RPL inlier term: squared difference of the softmax entropies of RPL and base logits on non-outlier pixels. */
    public static LossTerm rplEntropyMse() {
        return term("entropy_mse", Set.of(), true, (out, t) -> {
            NDArray d = entropy(out.logits()).sub(entropy(out.vanilla()));
            return Targets.masked(d.square(), t.inlier(), t.inlierCount());
        });
    }

    /** RPL outlier term: relu(logsumexp(RPL logits)) on pasted pixels. */
    public static LossTerm rplEnergyOut() {
        return term("energy_out", Set.of(), true, (out, t) -> {
            NDArray e = Activation.relu(Ops.logSumExp(out.logits(), 1, false));
            return Targets.masked(e, t.outlier(), t.outlierCount());
        });
    }

    /**
     * Not in RPL: squared difference of the RPL and base logits' logsumexp on non-outlier pixels, which keeps the
     * inliers' energy where the frozen base has it (RPL's inlier terms are blind to a shift of all logits).
     */
    public static LossTerm rplEnergyAnchor() {
        return term("energy_anchor", Set.of(), true, (out, t) -> {
            NDArray d = Ops.logSumExp(out.logits(), 1, false).sub(Ops.logSumExp(out.vanilla(), 1, false));
            return Targets.masked(d.square(), t.inlier(), t.inlierCount());
        });
    }

    /**
     * RPL's CoroCL term as the reference computes it. Labels are taken on the projection grid by nearest
     * downsampling; S = min({@code samples}, pasted-outlier, pasted-inlier, raw-outlier and raw-non-outlier cells).
     * Anchors: S outlier and S inlier embeddings of the pasted images. Contrast set: the anchors, S outlier and S
     * non-outlier embeddings of the raw outlier views ({@link Targets#raw()}). For anchor a and a contrast c of its
     * kind (c not a itself), log p = z_ac - log(exp(z_ac) + sum of exp(z_an) over contrasts n of the other kind),
     * z = cosine / {@code temperature}; the loss is minus the mean over anchors of the mean over their positives.
     * A batch without raw views (negatives read from a finished paste folder) contrasts the anchors only; a batch
     * where any of the sets is empty gives 0.
     */
    public static LossTerm contrastive(double temperature, int samples) {
        return term("contrast", Set.of(Head.PROJECTION), false, (out, t) -> {
            NDArray z = out.projection();
            NDManager m = z.getManager();
            long[] s = z.getShape().getShape();
            int n = (int) s[0];
            int e = (int) s[1];
            int h = (int) s[2];
            int w = (int) s[3];
            List<List<Long>> sets = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
            int[] labels = t.labels();
            for (int b = 0; b < n; b++) {
                for (int y = 0; y < h; y++) {
                    // nearest downsampling as F.interpolate(mode='nearest'): source index floor(i * in / out)
                    int ly = (int) ((long) y * t.height() / h);
                    for (int x = 0; x < w; x++) {
                        int lx = (int) ((long) x * t.width() / w);
                        int v = labels[(b * t.height() + ly) * t.width() + lx];
                        int set = v == LabelValues.PASTED_OUTLIER ? 0 : v < t.numClasses() ? 1 : -1;
                        if (set >= 0) {
                            sets.get(set + (b < t.n() ? 0 : 2)).add(((long) b * h + y) * w + x);
                        }
                    }
                }
            }
            boolean raw = t.raw() > 0;
            int k = Math.min(samples, Math.min(sets.get(0).size(), sets.get(1).size()));
            if (raw) {
                k = Math.min(k, Math.min(sets.get(2).size(), sets.get(3).size()));
            }
            if (k < 1 || (!raw && k < 2)) {
                return m.create(0f);
            }
            Random rng = new Random(t.seed());
            int parts = raw ? 4 : 2;
            long[] idx = new long[parts * k];
            float[] kind = new float[idx.length];
            for (int p = 0; p < parts; p++) {
                List<Long> chosen = sample(sets.get(p), k, rng);
                for (int i = 0; i < k; i++) {
                    idx[p * k + i] = chosen.get(i);
                    kind[p * k + i] = p % 2 == 0 ? 1f : 0f;
                }
            }
            int anchors = 2 * k;
            NDArray rows = z.transpose(0, 2, 3, 1).reshape(-1, e);
            NDArray all = rows.get(new NDIndex("{}", m.create(idx)));
            NDArray anc = all.get(new NDIndex("0:{}", anchors));
            NDArray sim = Scalars.over(anc.matMul(all.transpose()), temperature);
            NDArray kinds = m.create(kind, new Shape(idx.length, 1));
            NDArray same = kinds.get(new NDIndex("0:{}", anchors)).eq(kinds.transpose())
                    .toType(DataType.FLOAT32, false);
            NDArray other = same.neg().add(1f);
            NDArray positives = same.sub(m.eye(anchors, idx.length, 0));
            NDArray shifted = sim.sub(sim.max(new int[] {1}, true).stopGradient());
            NDArray exp = shifted.exp();
            NDArray negSum = exp.mul(other).sum(new int[] {1}, true);
            NDArray logProb = shifted.sub(exp.add(negSum).log());
            NDArray perAnchor = logProb.mul(positives).sum(new int[] {1}).div(positives.sum(new int[] {1}));
            return perAnchor.mean().neg();
        });
    }

    private static List<Long> sample(List<Long> from, int max, Random rng) {
        if (from.size() <= max) {
            return from;
        }
        List<Long> copy = new ArrayList<>(from);
        for (int i = 0; i < max; i++) {
            int j = i + rng.nextInt(copy.size() - i);
            Long tmp = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, tmp);
        }
        return copy.subList(0, max);
    }

    /**
     * PEBAL's abstention (gambler) loss over K+1 outputs (the K class logits and the abstention logit), as the
     * reference computes it: the payoff is r = (logsumexp_k s_k)^2 blurred by a 7x7 Gaussian (sigma 1, reflect
     * borders), not detached; inliers add log(p_y + p_abstain / r), negatives {@code oodReg} (reference 0.1) times
     * the mean over the K known classes of log(p_k + p_abstain / r); the loss is minus the sum of the two means.
     */
    public static LossTerm gambler(double oodReg) {
        return term("gambler", Set.of(Head.ABSTAIN), false, (out, t) -> {
            NDArray all = out.logits().concat(out.abstain(), 1);
            NDArray p = all.softmax(1);
            int k = t.numClasses();
            NDArray known = p.get(new NDIndex(":, :{}", k));
            NDArray res = p.get(new NDIndex(":, {}", k));
            NDArray lse = Ops.logSumExp(out.logits(), 1, false);
            NDArray payoff = Scalars.atLeast(Ops.gaussianBlur7(lse.square()), 1e-6);
            NDArray boosted = res.div(payoff);
            NDArray pin = known.gather(t.classIndex().expandDims(1), 1).squeeze(1).add(boosted);
            NDArray inTerm = Targets.masked(Scalars.atLeast(pin, 1e-7).log(), t.inlier(), t.inlierCount());
            if (t.outlierPixels() == 0) {
                return inTerm.neg();
            }
            NDArray pout = Scalars.atLeast(known.add(boosted.expandDims(1)), 1e-7).log().mean(new int[] {1});
            NDArray outTerm = Targets.masked(pout, t.outlier(), t.outlierCount());
            return inTerm.add(Scalars.times(outTerm, oodReg)).neg();
        });
    }

    /**
     * PEBAL's energy hinge, E = -logsumexp: mean relu(E - m_in)^2 over inliers, and when the batch has negatives
     * half of that plus half the mean relu(m_out - E)^2 over them (the reference's 0.5 (in + out)).
     */
    public static LossTerm energyHinge(double mIn, double mOut) {
        return term("energy_hinge", (out, t) -> {
            NDArray energy = Ops.logSumExp(out.logits(), 1, false).neg();
            NDArray in = Targets.masked(Activation.relu(energy.sub((float) mIn)).square(), t.inlier(),
                    t.inlierCount());
            if (t.outlierPixels() == 0) {
                return in;
            }
            NDArray o = Activation.relu(energy.neg().add((float) mOut)).square();
            return Scalars.times(in.add(Targets.masked(o, t.outlier(), t.outlierCount())), 0.5);
        });
    }

    /**
     * PEBAL's sparsity regulariser on the negatives' energy: the L2 norm of the vector of E over all negative pixels
     * of the batch (not a mean, as in the reference); 0 without negatives.
     */
    public static LossTerm energySparsity() {
        return term("energy_sparsity", (out, t) -> {
            NDArray energy = Ops.logSumExp(out.logits(), 1, false).neg();
            if (t.outlierPixels() == 0) {
                return energy.getManager().create(0f);
            }
            return energy.square().mul(t.outlier()).sum().add(1e-12f).sqrt();
        });
    }

    /**
     * PEBAL's smoothness regulariser on the energy map of every training sample: half the sum (not the mean, as in
     * the reference) of the squared differences between vertical and between horizontal neighbours.
     */
    public static LossTerm energySmoothness() {
        return term("energy_smooth", (out, t) -> {
            NDArray energy = Ops.logSumExp(out.logits(), 1, false).neg();
            if (t.raw() > 0) {
                energy = energy.get(new NDIndex(":{}", t.n()));
            }
            NDArray dy = energy.get(":, 1:, :").sub(energy.get(":, :-1, :"));
            NDArray dx = energy.get(":, :, 1:").sub(energy.get(":, :, :-1"));
            return Scalars.times(dy.square().sum().add(dx.square().sum()), 0.5);
        });
    }

    /** Meta-OOD's outlier term: cross-entropy to the uniform distribution on negative pixels. */
    public static LossTerm uniformOnNegatives() {
        return term("entropy_out", (out, t) -> {
            NDArray ce = out.logits().logSoftmax(1).mean(new int[] {1}).neg();
            return Targets.masked(ce, t.outlier(), t.outlierCount());
        });
    }
}
