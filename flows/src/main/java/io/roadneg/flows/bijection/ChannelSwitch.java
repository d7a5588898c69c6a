package io.roadneg.flows.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/** Swaps the channel halves ([x1, x2] to [x2, x1], x1 the first ceil(C/2)), so the next coupling changes the other. */
public final class ChannelSwitch implements Bijection {
    @Override
    public Transformed forward(NDArray x, boolean training) {
        long k = (x.getShape().get(1) + 1) / 2;
        NDArray z = NDArrays.concat(new NDList(x.get(":, " + k + ":"), x.get(":, :" + k)), 1);
        return new Transformed(z, x.getManager().zeros(new Shape(x.getShape().get(0))));
    }

    @Override
    public NDArray inverse(NDArray z, boolean training) {
        long k = z.getShape().get(1) / 2;
        return NDArrays.concat(new NDList(z.get(":, " + k + ":"), z.get(":, :" + k)), 1);
    }
}
