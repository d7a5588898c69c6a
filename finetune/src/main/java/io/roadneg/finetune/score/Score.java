package io.roadneg.finetune.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.roadneg.finetune.loss.Terms;
import io.roadneg.finetune.model.Head;
import io.roadneg.finetune.model.Ops;
import io.roadneg.finetune.model.SegOutput;
import java.util.Set;

/** Pixel anomaly scores (higher = more anomalous), notes: methods.md. */
public enum Score {
    /** 1 - max softmax probability. */
    MSP("msp"),
    /** Negative max logit. */
    MAX_LOGIT("maxlogit"),
    /** Softmax entropy. */
    ENTROPY("entropy"),
    /** Free energy, -logsumexp of the logits. */
    ENERGY("energy"),
    /** DenseHybrid: ln P(outlier | x) from the dataset head minus logsumexp of the logits. */
    DENSEHYBRID("densehybrid"),
    /** RPL: energy of the (RPL) logits, then a 7x7 Gaussian blur with sigma 1 (reflect-101 borders). */
    RPL("rpl"),
    /**
     * NFlowJS: minus the Jensen-Shannon divergence between the uniform distribution and the softmax (0 for a uniform
     * posterior, the most anomalous; -ln 2 at the most for a confident one).
     */
    JSD("jsd");

    private final String key;

    Score(String key) {
        this.key = key;
    }

    /** The name on the command line. */
    public String key() {
        return key;
    }

    /** The score with this name. */
    public static Score byKey(String key) {
        for (Score s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException(key);
    }

    /** Heads the score reads. */
    public Set<Head> needs() {
        return this == DENSEHYBRID ? Set.of(Head.DOUT) : Set.of();
    }

    /** The score map, N x H x W. */
    public NDArray compute(SegOutput o) {
        NDArray s = o.logits();
        return switch (this) {
            case MSP -> s.softmax(1).max(new int[] {1}).neg().add(1f);
            case MAX_LOGIT -> s.max(new int[] {1}).neg();
            case ENTROPY -> {
                NDArray lp = s.logSoftmax(1);
                yield lp.exp().mul(lp).sum(new int[] {1}).neg();
            }
            case ENERGY -> Ops.logSumExp(s, 1, false).neg();
            case RPL -> Ops.gaussianBlur7(Ops.logSumExp(s, 1, false).neg());
            case JSD -> Terms.jsdToUniform(s).neg();
            case DENSEHYBRID -> o.dout().logSoftmax(1).get(new NDIndex(":, 1")).sub(Ops.logSumExp(s, 1, false));
        };
    }

    /** The score maps on the host, N x H x W row-major. */
    public float[] maps(SegOutput o) {
        return compute(o).toFloatArray();
    }
}
