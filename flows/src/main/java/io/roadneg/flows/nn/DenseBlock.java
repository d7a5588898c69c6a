package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.roadneg.flows.ParamStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A densely connected block: {@code depth} layers, each appending {@code growth} channels (1x1 conv, ReLU, 3x3 conv,
 * ReLU) to everything before it, closed by a gated 1x1 convolution {@code a + b * sigmoid(c)} to {@code cout}.
 */
public final class DenseBlock {
    private final List<Conv[]> layers = new ArrayList<>();
    private final Conv gate;

    /** A block named {@code name} ({@code name.layers.i.conv1/conv3}, {@code name.gate}). */
    public DenseBlock(ParamStore p, String name, int cin, int cout, int depth, int growth) {
        for (int i = 0; i < depth; i++) {
            int c = cin + i * growth;
            layers.add(new Conv[] {new Conv(p, name + ".layers." + i + ".conv1", c, c, 1, 1, true, false),
                new Conv(p, name + ".layers." + i + ".conv3", c, growth, 3, 1, true, false)});
        }
        gate = new Conv(p, name + ".gate", cin + depth * growth, 3 * cout, 1, 1, true, false);
    }

    /** Applies the block. */
    public NDArray apply(NDArray x) {
        NDArray h = x;
        for (Conv[] l : layers) {
            NDArray y = Activation.relu(l[1].apply(Activation.relu(l[0].apply(h))));
            h = NDArrays.concat(new NDList(h, y), 1);
        }
        NDList abc = gate.apply(h).split(3, 1);
        return abc.get(0).add(abc.get(1).mul(Activation.sigmoid(abc.get(2))));
    }
}
