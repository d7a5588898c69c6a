package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.roadneg.datasets.InputException;
import io.roadneg.flows.bijection.Bijection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole flow: invertibility, sampling, sizes, initialisation, checkpoints. */
class DenseFlowTest {
    static DenseFlow perturbedTiny(long seed) {
        DenseFlow f = new DenseFlow(ReferenceFixtureTest.tiny(), seed);
        BijectionTest.perturb(f.params(), seed + 100, 0.1);
        return f;
    }

    @Test
    void encodeThenDecodeIsTheIdentityInBothModes() {
        try (DenseFlow flow = perturbedTiny(1); NDManager m = NDManager.newBaseManager()) {
            NDArray y = m.randomUniform(0, 1, new Shape(2, 3, 16, 16));
            for (boolean training : new boolean[] {false, true}) {
                DenseFlow.Encoding e = flow.encode(y, training, Noise.seeded(3, 0));
                assertEquals(2, e.factored().size());
                NDArray back = flow.decode(e.z(), e.factored(), training);
                double err = back.sub(y).abs().max().getFloat();
                assertTrue(err < 1e-4, "round trip error " + err + " (training " + training + ")");
            }
        }
    }

    @Test
    void sameSeedSameSamplesWhateverTheBatch() {
        try (DenseFlow flow = perturbedTiny(2); NDManager m = NDManager.newBaseManager()) {
            NDArray a = flow.sampleContinuous(m, 3, 16, 32, 0.8, Noise.seeded(5, 0), false);
            NDArray b = flow.sampleContinuous(m, 3, 16, 32, 0.8, Noise.seeded(5, 0), false);
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            NDArray last = flow.sampleContinuous(m, 1, 16, 32, 0.8, Noise.seeded(5, 2), false);
            assertTrue(last.sub(a.get("2:3")).abs().max().getFloat() < 1e-5, "item 2 alone equals item 2 in a batch");
            NDArray other = flow.sampleContinuous(m, 3, 16, 32, 0.8, Noise.seeded(6, 0), false);
            assertTrue(other.sub(a).abs().max().getFloat() > 1e-3, "another seed differs");
            NDArray q = flow.sample(m, 3, 16, 32, 0.8, Noise.seeded(5, 0));
            float[] v = q.toFloatArray();
            for (float x : v) {
                assertTrue(x >= 0 && x <= 255 && x == Math.floor(x), "quantised sample " + x);
            }
        }
    }

    @Test
    void samplesOfDifferentSeedsConvergeAsTheTemperatureFalls() {
        try (DenseFlow flow = perturbedTiny(3); NDManager m = NDManager.newBaseManager()) {
            double hot = flow.sampleContinuous(m, 2, 16, 16, 1.0, Noise.seeded(1, 0), false)
                    .sub(flow.sampleContinuous(m, 2, 16, 16, 1.0, Noise.seeded(2, 0), false)).abs().max().getFloat();
            double cold = flow.sampleContinuous(m, 2, 16, 16, 0.01, Noise.seeded(1, 0), false)
                    .sub(flow.sampleContinuous(m, 2, 16, 16, 0.01, Noise.seeded(2, 0), false)).abs().max().getFloat();
            assertTrue(cold < 0.05 * hot, "T 0.01 spread " + cold + " vs T 1 spread " + hot);
        }
    }

    @Test
    void sizesTheSqueezesCannotTakeAreRefusedInOneLine() {
        try (DenseFlow flow = perturbedTiny(4); NDManager m = NDManager.newBaseManager()) {
            InputException e = assertThrows(InputException.class,
                    () -> flow.sampleContinuous(m, 1, 12, 16, 1, Noise.seeded(1, 0), false));
            assertEquals("sample size = 12x16: this flow's 3 squeezes need height and width positive multiples of 8",
                    e.getMessage());
            e = assertThrows(InputException.class,
                    () -> flow.sampleContinuous(m, 1, 8, 8, 1, Noise.seeded(1, 0), false));
            assertEquals("sample size = 8x8: scale 3 has 1x1 pixels, not a multiple of the attention's 4 landmarks",
                    e.getMessage());
            e = assertThrows(InputException.class,
                    () -> flow.sampleContinuous(m, 1, 16, 16, 0, Noise.seeded(1, 0), false));
            assertEquals("temperature = 0.0: must be a positive number", e.getMessage());
            assertThrows(InputException.class, () -> flow.sampleContinuous(m, 1, 16, 16, -1, Noise.seeded(1, 0),
                    false));
        }
    }

    @Test
    void actNormInitialisesFromTheFirstBatch() {
        try (DenseFlow flow = new DenseFlow(ReferenceFixtureTest.tiny(), 5); NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomInteger(0, 256, new Shape(4, 3, 16, 16), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            assertTrue(flow.steps().stream().noneMatch(s -> s.actNorm().isInitialized()));
            flow.initialize(x, Noise.seeded(1, 0));
            assertTrue(flow.steps().stream().allMatch(s -> s.actNorm().isInitialized()));
            // the first ActNorm normalises its input (the squeezed, shifted, dequantised batch) per channel
            NDArray y = flow.dequantizer().forward(x, true, Noise.seeded(1, 0)).z();
            NDArray in = io.roadneg.flows.bijection.Squeeze.squeeze(y.sub(0.5f));
            NDArray out = flow.steps().get(0).actNorm().forward(in, true).z();
            NDArray perChannel = out.transpose(1, 0, 2, 3).reshape(12, -1);
            float[] mean = perChannel.mean(new int[] {1}).toFloatArray();
            for (float v : mean) {
                assertEquals(0, v, 0.05);
            }
            // initialisation happens once
            float before = flow.params().get("blocks.0.units.0.0.actnorm.shift").sum().getFloat();
            flow.initialize(x.mul(0.5f), Noise.seeded(1, 0));
            assertEquals(before, flow.params().get("blocks.0.units.0.0.actnorm.shift").sum().getFloat());
        }
    }

    @Test
    void checkpointRoundTripsAndRefusesAnotherConfiguration(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("flow.npz");
        try (DenseFlow a = perturbedTiny(6); DenseFlow b = new DenseFlow(ReferenceFixtureTest.tiny(), 99);
                NDManager m = NDManager.newBaseManager()) {
            a.params().save(file);
            try (InputStream in = Files.newInputStream(file)) {
                b.params().load(ParamStore.readNpz(m, in), "", file.toString());
            }
            NDArray x = m.randomUniform(0, 255, new Shape(2, 3, 16, 16)).floor();
            NDArray la = a.logProb(x, false, Noise.seeded(1, 0));
            NDArray lb = b.logProb(x, false, Noise.seeded(1, 0));
            assertArrayEquals(la.toFloatArray(), lb.toFloatArray());
            DenseFlowConfig wider = DenseFlowConfig.load(Path.of(System.getProperty("roadneg.root"),
                    "flows/src/test/resources/flows/tiny.yaml"), Map.of("growthRate", "4"));
            try (DenseFlow c = new DenseFlow(wider, 1); InputStream in = Files.newInputStream(file)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> c.params().load(ParamStore.readNpz(m, in), "", "flow.npz"));
                assertTrue(e.getMessage().startsWith("flow.npz: array "), e.getMessage());
            }
        }
    }

    @Test
    void bitsPerDimIsTheNegativeLogLikelihoodPerSubPixelInBits() {
        try (DenseFlow flow = perturbedTiny(7); NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(0, 255, new Shape(2, 3, 16, 16)).floor();
            NDArray lp = flow.logProb(x, false, Noise.seeded(1, 0));
            double expected = -(lp.getFloat(0) + lp.getFloat(1)) / (Math.log(2) * 2 * 3 * 16 * 16);
            assertEquals(expected, DenseFlow.bitsPerDim(lp, x.getShape()).getFloat(), 1e-4);
            assertTrue(Bijection.sumPerItem(x).getShape().equals(new Shape(2)));
        }
    }
}
