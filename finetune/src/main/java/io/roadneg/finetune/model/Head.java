package io.roadneg.finetune.model;

/** Extra outputs a loss may need on top of the class logits. */
public enum Head {
    /** DenseHybrid's 2-way dataset posterior (inlier / outlier) on the decoder features. */
    DOUT("dout", 2),
    /** PEBAL's abstention (reservation) channel, the (K+1)-th logit. */
    ABSTAIN("abstain", 1),
    /** RPL's projection of the residual features for the contrastive term. */
    PROJECTION("projection", 64);

    private final String key;
    private final int channels;

    Head(String key, int channels) {
        this.key = key;
        this.channels = channels;
    }

    /** The name in configs, checkpoints and logs. */
    public String key() {
        return key;
    }

    /** Output channels. */
    public int channels() {
        return channels;
    }

    /** The head with this name. */
    public static Head byKey(String key) {
        for (Head h : values()) {
            if (h.key.equals(key)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown head " + key + " (dout, abstain, projection)");
    }
}
