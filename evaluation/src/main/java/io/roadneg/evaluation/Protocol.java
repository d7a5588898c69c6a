package io.roadneg.evaluation;

/** Which scorer's rules to follow. */
public enum Protocol {
    /** Exact pooled AP / AUROC / FPR95 (bdl / sklearn), plus per-image averages. */
    EXACT,
    /** The SMIYC official scorer: 768 percentile bins (and the 4096 uniform-bin variant), plus component metrics. */
    SMIYC
}
