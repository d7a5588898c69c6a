package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java DenseFlow against the PyTorch reference ({@code flows/scripts/denseflow_reference.py}) with the same
 * weights and the same Gaussian draws: log-likelihood, bits/dim, gradients, BatchNorm statistics and a sample.
 */
class ReferenceFixtureTest {
    static DenseFlowConfig tiny() {
        return DenseFlowConfig.load(Path.of(System.getProperty("roadneg.root"), "flows/src/test/resources/flows/tiny.yaml"),
                Map.of());
    }

    static Map<String, NDArray> fixture(NDManager m) throws IOException {
        try (InputStream in = ReferenceFixtureTest.class.getResourceAsStream("/flows/tiny-denseflow.npz")) {
            return ParamStore.readNpz(m, in);
        }
    }

    /** The fixture's arrays, with its weights loaded into {@code flow}. */
    static Map<String, NDArray> loaded(DenseFlow flow, NDManager m) throws IOException {
        Map<String, NDArray> f = fixture(m);
        flow.params().load(f, "param/", "fixture");
        return f;
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        assertEquals(b.getShape(), a.getShape());
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void evalLogLikelihoodMatchesReference() throws IOException {
        try (DenseFlow flow = new DenseFlow(tiny(), 0); NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> f = loaded(flow, m);
            ReplayNoise noise = new ReplayNoise(f, "eval/noise/");
            NDArray x = f.get("x");
            NDArray lp = flow.logProb(x, false, noise);
            assertEquals(noise.recorded(), noise.used());
            double perImage = Math.log(2) * x.getShape().size() / x.getShape().get(0);
            // per-image bits/dim within 1e-4
            assertTrue(maxAbsDiff(lp.div((float) perImage), f.get("eval/log_prob").div((float) perImage)) < 1e-4,
                    "eval log_prob " + lp + " vs " + f.get("eval/log_prob"));
        }
    }

    @Test
    void trainLogLikelihoodGradientsAndStatisticsMatchReference() throws IOException {
        try (DenseFlow flow = new DenseFlow(tiny(), 0); NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> f = loaded(flow, m);
            ReplayNoise noise = new ReplayNoise(f, "train/noise/");
            NDArray x = f.get("x");
            try (NDManager step = m.newSubManager()) {
                NDArray bpd;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    bpd = flow.bitsPerDim(x, true, noise);
                    gc.backward(bpd);
                }
                assertEquals(f.get("train/bpd").getFloat(0), bpd.getFloat(), 1e-4);
                int checked = 0;
                for (String name : flow.params().savedNames()) {
                    NDArray ref = f.get("train/grad/" + name);
                    if (ref == null) {
                        continue;
                    }
                    NDArray g = flow.params().get(name).getGradient();
                    double scale = Math.max(1, ref.abs().max().getFloat());
                    assertTrue(maxAbsDiff(g, ref) / scale < 1e-4, "gradient of " + name);
                    checked++;
                }
                assertEquals(flow.params().parameters().size(), checked);
                for (String k : f.keySet()) {
                    if (k.startsWith("train/running/")) {
                        String name = k.substring("train/running/".length());
                        assertTrue(maxAbsDiff(flow.params().get(name), f.get(k)) < 1e-5, "running statistic " + name);
                    }
                }
            }
        }
    }

    @Test
    void sampleMatchesReference() throws IOException {
        try (DenseFlow flow = new DenseFlow(tiny(), 0); NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> f = loaded(flow, m);
            ReplayNoise noise = new ReplayNoise(f, "sample/noise/");
            NDArray y = flow.sampleContinuous(m, 2, 16, 16, 0.7, noise, false);
            assertEquals(noise.recorded(), noise.used());
            double d = maxAbsDiff(y, f.get("sample/y"));
            assertTrue(d < 1e-4, "sample differs by " + d + ", range " + f.get("sample/y").abs().max());
        }
    }
}
