package io.roadneg.finetune.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Size of the built-in ladder segmenter: stem width, number of stages (each halves the resolution and doubles the
 * width), residual blocks per stage and decoder channels.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record LadderSpec(int width, int depth, int blocks, int decoder) {
    /** Checks the values. */
    public LadderSpec {
        if (width < 4 || width > 512) {
            throw new IllegalArgumentException("model.ladder.width must be in 4..512, found " + width);
        }
        if (depth < 2 || depth > 6) {
            throw new IllegalArgumentException("model.ladder.depth must be in 2..6, found " + depth);
        }
        if (blocks < 1 || blocks > 8) {
            throw new IllegalArgumentException("model.ladder.blocks must be in 1..8, found " + blocks);
        }
        if (decoder < 4 || decoder > 1024) {
            throw new IllegalArgumentException("model.ladder.decoder must be in 4..1024, found " + decoder);
        }
    }

    /** The default size: width 32, 4 stages, 1 block each, 64 decoder channels. */
    public static LadderSpec defaults() {
        return new LadderSpec(32, 4, 1, 64);
    }

    /** The image side must be a multiple of this. */
    public int stride() {
        return 1 << (depth + 1);
    }
}
