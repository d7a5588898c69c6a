package io.roadneg.finetune.model;

import java.util.List;

/**
 * What a checkpoint holds, written as {@code model.json}: the base ({@code ladder} with its size, or
 * {@code torchscript} with the folder it came from), the class count, the extra heads and whether an RPL residual
 * sits on a frozen base; the normalisation the network expects.
 */
public record ModelSpec(String type, LadderSpec ladder, String torchscript, int classes, List<String> heads,
        boolean residual, double[] mean, double[] std) {
    /** The same base with other heads / residual. */
    public ModelSpec with(List<String> newHeads, boolean newResidual) {
        return new ModelSpec(type, ladder, torchscript, classes, newHeads, newResidual, mean, std);
    }

    /** A one-line description. */
    public String describe() {
        String b = type.equals("ladder") ? "ladder(width " + ladder.width() + ", depth " + ladder.depth() + ", blocks "
                + ladder.blocks() + ", decoder " + ladder.decoder() + ")" : "torchscript(" + torchscript + ")";
        return b + ", " + classes + " classes" + (heads.isEmpty() ? "" : ", heads " + heads)
                + (residual ? ", RPL residual on the frozen base" : "");
    }
}
