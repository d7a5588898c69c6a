package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.roadneg.flows.bijection.Bijection;
import io.roadneg.flows.bijection.Chain;
import io.roadneg.flows.bijection.Step;
import io.roadneg.flows.nn.NoiseNet;
import java.util.ArrayList;
import java.util.List;

/**
 * A DenseFlow block: units of steps with cross-unit coupling. Unit i > 0 first appends {@code growthRate} channels
 * {@code mu + exp(logScale) * eta}, eta ~ N(0, 1), where a {@link NoiseNet} computes mu and logScale from the block
 * input and the outputs of units 0 .. i-2 (the wiring of the public code); the term
 * {@code -log N(eta) + sum(logScale)} (minus the log-density of the appended channels under their proposal) joins the
 * log-det, so the objective stays a lower bound. The inverse drops the appended channels.
 */
final class DenseBlockFlow {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int growthRate;
    private final List<Chain> units = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<NoiseNet> noiseNets = new ArrayList<>();

    DenseBlockFlow(ParamStore p, String name, int c, int numUnits, int stepsPerUnit, int mid, int growthRate,
            DenseFlowConfig.Coupling cp, int expansion) {
        this.growthRate = growthRate;
        for (int i = 0; i < numUnits; i++) {
            if (i > 0) {
                int seen = c;
                for (int j = 0; j < i - 1; j++) {
                    seen += c + j * growthRate;
                }
                noiseNets.add(new NoiseNet(p, name + ".noise." + (i - 1), seen, growthRate, expansion));
            }
            List<Step> unit = new ArrayList<>();
            for (int s = 0; s < stepsPerUnit; s++) {
                unit.add(new Step(p, name + ".units." + i + "." + s, c + i * growthRate, mid, cp));
            }
            steps.addAll(unit);
            units.add(new Chain(unit));
        }
    }

    List<Step> steps() {
        return steps;
    }

    Bijection.Transformed forward(NDArray x, boolean training, Noise noise) {
        long[] s = x.getShape().getShape();
        NDArray total = null;
        NDList history = new NDList(x);
        NDArray h = x;
        for (int i = 0; i < units.size(); i++) {
            if (i > 0) {
                NDArray g = history.size() == 1 ? history.get(0) : NDArrays.concat(history, 1);
                NDArray eta = noise.normal(x.getManager(), new Shape(s[0], growthRate, s[2], s[3]));
                NDList ms = noiseNets.get(i - 1).apply(g);
                NDArray term = Bijection.sumPerItem(eta.square().mul(0.5f).add((float) HALF_LOG_2PI).add(ms.get(1)));
                total = total == null ? term : total.add(term);
                history.add(h);
                h = NDArrays.concat(new NDList(h, ms.get(0).add(ms.get(1).exp().mul(eta))), 1);
            }
            Bijection.Transformed t = units.get(i).forward(h, training);
            h = t.z();
            total = total == null ? t.logDet() : total.add(t.logDet());
        }
        return new Bijection.Transformed(h, total);
    }

    NDArray inverse(NDArray z, boolean training) {
        NDArray x = z;
        for (int i = units.size() - 1; i >= 0; i--) {
            x = units.get(i).inverse(x, training);
            if (i > 0) {
                x = x.get(":, :" + (x.getShape().get(1) - growthRate));
            }
        }
        return x;
    }
}
