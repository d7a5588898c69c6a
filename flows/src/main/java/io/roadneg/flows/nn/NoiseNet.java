package io.roadneg.flows.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.roadneg.flows.ParamStore;

/**
 * Cross-unit coupling network: from the earlier units' tensors, the mean and log-scale of the noise channels a unit
 * appends (3x3 convolution to {@code expansion} times the input channels, ReLU, zero-initialised 1x1 convolution;
 * log-scale bounded as {@code 2 tanh(s / 2)}).
 */
public final class NoiseNet {
    private final Conv conv1;
    private final Conv conv2;

    /** {@code name.conv1}, {@code name.conv2}. */
    public NoiseNet(ParamStore p, String name, int cin, int growth, int expansion) {
        conv1 = new Conv(p, name + ".conv1", cin, expansion * cin, 3, 1, true, false);
        conv2 = new Conv(p, name + ".conv2", expansion * cin, 2 * growth, 1, 1, true, true);
    }

    /** {@code [mean, logScale]}. */
    public NDList apply(NDArray x) {
        NDList ms = conv2.apply(Activation.relu(conv1.apply(x))).split(2, 1);
        return new NDList(ms.get(0), boundedLogScale(ms.get(1)));
    }

    /** {@code 2 tanh(s / 2)}: a log-scale in (-2, 2). */
    public static NDArray boundedLogScale(NDArray s) {
        return Scalars.times(Scalars.times(s, 0.5).tanh(), 2);
    }
}
