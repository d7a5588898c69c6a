package io.roadneg.flows.imported;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.flows.Noise;
import io.roadneg.flows.ParamStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code roadneg-flow/1} loader against fixtures from {@code flows/scripts/make_flow_export_fixtures.py}: a tiny
 * DenseFlow exported by {@code export_denseflow_torchscript.py} from a checkpoint in the public code's layout, with
 * PyTorch's outputs for given noise, and exports that break the contract.
 */
class TorchScriptFlowTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(TorchScriptFlowTest.class.getResource("/flows/export/" + name + "/flow.json").toURI())
                .getParent();
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        assertEquals(b.getShape(), a.getShape());
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void decodesTheSameNoiseAsPyTorch() throws Exception {
        try (TorchScriptFlow flow = TorchScriptFlow.open(fixture("tiny")); NDManager m = NDManager.newBaseManager();
                InputStream in = Files.newInputStream(fixture("tiny").resolve("golden.npz"))) {
            Map<String, NDArray> golden = ParamStore.readNpz(m, in);
            for (String c : new String[] {"square", "wide"}) {
                float[] size = golden.get(c + "/size").toFloatArray();
                int h = (int) size[0];
                int w = (int) size[1];
                double t = golden.get(c + "/temperature").getFloat(0);
                NDArray noise = golden.get(c + "/noise");
                assertEquals(flow.noiseDims(h, w), noise.getShape().get(1), c);
                NDArray y = flow.decode(noise, h, w, t);
                assertEquals(DataType.FLOAT32, y.getDataType());
                assertEquals(new Shape(2, 3, h, w), y.getShape());
                NDArray ref = golden.get(c + "/y");
                assertTrue(ref.abs().max().getFloat() > 1, c + ": the fixture's images are not trivially small");
                assertTrue(maxAbsDiff(y, ref) < 1e-4, c + ": max |y - PyTorch| = " + maxAbsDiff(y, ref));
            }
        }
    }

    @Test
    void samplesAreSeededPerItemAndQuantisedLikeThePublicCode() throws Exception {
        try (TorchScriptFlow flow = TorchScriptFlow.open(fixture("tiny")); NDManager m = NDManager.newBaseManager()) {
            NDArray a = flow.sample(m, 3, 8, 16, 0.8, 42, 0);
            NDArray b = flow.sample(m, 3, 8, 16, 0.8, 42, 0);
            assertEquals(new Shape(3, 3, 8, 16), a.getShape());
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), "same seed, same bytes");
            float[] v = a.toFloatArray();
            assertTrue(Arrays.stream(toDoubles(v)).allMatch(x -> x >= 0 && x <= 255 && x == Math.floor(x)),
                    "integers 0..255");
            assertFalse(Arrays.equals(v, flow.sample(m, 3, 8, 16, 0.8, 43, 0).toFloatArray()), "another seed");

            // the noise is Noise.seeded's, the images floor(256 y) clamped
            NDArray noise = Noise.seeded(42, 0).normal(m, new Shape(3, flow.noiseDims(8, 16)));
            NDArray y = flow.decode(noise, 8, 16, 0.8);
            assertArrayEquals(v, TorchScriptFlow.quantize(y).toFloatArray());
            assertArrayEquals(y.toFloatArray(), flow.sampleContinuous(m, 3, 8, 16, 0.8, 42, 0).toFloatArray());

            // item 2 drawn alone is item 2 of the batch
            NDArray alone = flow.sampleContinuous(m, 1, 8, 16, 0.8, 42, 2);
            assertTrue(maxAbsDiff(alone, y.get("2:3")) < 1e-5);
        }
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void sizesAndTemperaturesTheFlowCannotTakeAreRefusedInOneLine() throws Exception {
        try (TorchScriptFlow flow = TorchScriptFlow.open(fixture("tiny")); NDManager m = NDManager.newBaseManager()) {
            assertEquals(3, flow.channels());
            assertEquals(4, flow.meta().sizeDivisor());
            assertTrue(flow.acceptsSize(8, 8));
            assertTrue(flow.acceptsSize(16, 8));
            assertFalse(flow.acceptsSize(6, 8), "not a multiple of 4");
            assertFalse(flow.acceptsSize(4, 4), "1 x 1 pixel at stride 4, not a multiple of 4 landmarks");
            assertFalse(flow.acceptsSize(0, 8));
            InputException odd = assertThrows(InputException.class, () -> flow.sample(m, 1, 6, 8, 1.0, 0, 0));
            assertEquals("sample size = 6x8: this flow needs height and width positive multiples of 4 (sizeDivisor) "
                    + "(the export in " + fixture("tiny") + ")", odd.getMessage());
            InputException small = assertThrows(InputException.class, () -> flow.sample(m, 1, 4, 4, 1.0, 0, 0));
            assertTrue(small.getMessage().startsWith("sample size = 4x4: at stride 4 it has 1x1 pixels, not a multiple "
                    + "of the attention's 4 landmarks"), small.getMessage());
            InputException cold = assertThrows(InputException.class, () -> flow.sample(m, 1, 8, 8, 0, 0, 0));
            assertEquals("temperature = 0.0: must be a positive number", cold.getMessage());
            assertThrows(InputException.class, () -> flow.sample(m, 1, 8, 8, Double.NaN, 0, 0));
            assertTrue(flow.describe().contains(flow.meta().modelSha256()), flow.describe());
            assertTrue(flow.describe().contains("\"blockConf\":[2,2]"), flow.describe());
        }
    }

    @Test
    void anExportFolderIsRecognisedByItsFlowJson() throws Exception {
        assertTrue(TorchScriptFlow.isExport(fixture("tiny")));
        assertFalse(TorchScriptFlow.isExport(tmp));
        Files.copy(fixture("tiny").resolve("flow.pt"), tmp.resolve("flow.pt"));
        assertFalse(TorchScriptFlow.isExport(tmp), "flow.pt alone is not an export");
        assertFalse(TorchScriptFlow.isExport(tmp.resolve("flow.pt")));
        InputException e = assertThrows(InputException.class, () -> TorchScriptFlow.open(tmp));
        assertEquals(tmp.resolve("flow.json") + ": missing: an exported flow folder needs flow.json and flow.pt "
                + "(flows/scripts/export_denseflow_torchscript.py writes them)", e.getMessage());
    }

    /** A copy of the tiny export whose flow.json is edited by {@code edit}. */
    private Path tinyWith(String name, Consumer<ObjectNode> edit) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(fixture("tiny").resolve("flow.pt"), dir.resolve("flow.pt"));
        ObjectMapper om = new ObjectMapper();
        ObjectNode meta = (ObjectNode) om.readTree(fixture("tiny").resolve("flow.json").toFile());
        edit.accept(meta);
        om.writeValue(dir.resolve("flow.json").toFile(), meta);
        return dir;
    }

    private static InputException refused(Path dir) {
        InputException e = assertThrows(InputException.class, () -> TorchScriptFlow.open(dir).close());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private static void assertStarts(String expected, InputException e) {
        assertTrue(e.getMessage().startsWith(expected), "expected [" + expected + "...], got [" + e.getMessage() + "]");
    }

    @Test
    void metadataThatBreaksTheContractIsRefusedBeforeLoading() throws Exception {
        Path noContract = tinyWith("no-contract", n -> n.remove("contract"));
        assertEquals(noContract.resolve("flow.json") + ": contract: missing; an export names its contract, "
                + "roadneg-flow/1", refused(noContract).getMessage());
        Path unknown = tinyWith("unknown", n -> n.put("contract", "roadneg-flow/2"));
        assertEquals(unknown.resolve("flow.json") + ": contract = roadneg-flow/2: unknown; this workbench reads "
                + "roadneg-flow/1", refused(unknown).getMessage());
        Path divisor = tinyWith("divisor", n -> n.put("sizeDivisor", 6));
        assertEquals(divisor.resolve("flow.json") + ": sizeDivisor = 6: must be a power of two (2 to the number of "
                + "the flow's squeezes)", refused(divisor).getMessage());
        Path noDivisor = tinyWith("no-divisor", n -> n.remove("sizeDivisor"));
        assertEquals(noDivisor.resolve("flow.json") + ": sizeDivisor: must be an integer from 1 to 4096",
                refused(noDivisor).getMessage());
        Path stride = tinyWith("stride", n -> ((ObjectNode) n.get("latents").get(1)).put("stride", 8));
        assertEquals(stride.resolve("flow.json") + ": latents[1].stride = 8: must be a power of two dividing "
                + "sizeDivisor 4", refused(stride).getMessage());
        Path gray = tinyWith("gray", n -> n.put("channels", 1));
        assertStarts(gray.resolve("flow.json") + ": channels = 1: must be 3", refused(gray));
        Path sha = tinyWith("sha", n -> n.put("modelSha256", "0".repeat(64)));
        assertStarts(sha.resolve("flow.json") + ": modelSha256 = " + "0".repeat(64) + ": differs from flow.pt's "
                + "SHA-256 ", refused(sha));
        Path badJson = Files.createDirectories(tmp.resolve("bad-json"));
        Files.writeString(badJson.resolve("flow.json"), "{\"contract\": ");
        assertStarts(badJson.resolve("flow.json") + ": not valid JSON: ", refused(badJson));
    }

    @Test
    void aModelFileThatIsMissingOrNotTorchScriptIsRefused() throws Exception {
        Path missing = tinyWith("missing", n -> { });
        Files.delete(missing.resolve("flow.pt"));
        assertEquals(missing.resolve("flow.pt") + ": missing: an exported flow folder needs flow.pt beside flow.json",
                refused(missing).getMessage());
        byte[] junk = "not a TorchScript archive".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String junkSha = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(junk));
        Path garbage = tinyWith("garbage", n -> n.put("modelSha256", junkSha));
        Files.write(garbage.resolve("flow.pt"), junk);
        assertStarts(garbage.resolve("flow.pt") + ": cannot load as TorchScript: ", refused(garbage));
    }

    @Test
    void modulesThatBreakTheContractFailTheProbe() throws Exception {
        Path shape = fixture("bad-output-shape");
        assertEquals(shape.resolve("flow.pt") + ": output shape = (2, 3, 4, 4): must be (2, 3, 8, 8), N x 3 x H x W "
                + "(probe: noise 2x272, size 8x8, temperature 1)", refused(shape).getMessage());
        Path dtype = fixture("bad-output-dtype");
        assertEquals(dtype.resolve("flow.pt") + ": output dtype = float64: must be float32 (probe: noise 2x272, "
                + "size 8x8, temperature 1)", refused(dtype).getMessage());
        Path signature = fixture("bad-signature");
        assertStarts(signature.resolve("flow.pt") + ": forward = noise 2x272, size 8x8, temperature 1: fails on a "
                + "probe: ", refused(signature));
        // latents that do not describe the module: it needs more noise values than it is given
        Path latents = tinyWith("latents", n -> ((ObjectNode) n.get("latents").get(0)).put("channels", 35));
        assertEquals(latents.resolve("flow.pt") + ": forward = noise 2x268, size 8x8, temperature 1: fails on a "
                + "probe: roadneg-flow: noise has fewer values than the latents need", refused(latents).getMessage());
    }

    @Test
    void readMetaGivesTheNoiseLayout() throws IOException, URISyntaxException {
        TorchScriptFlow.Meta meta = TorchScriptFlow.readMeta(fixture("tiny"));
        assertEquals(2, meta.latents().size());
        assertEquals(new TorchScriptFlow.Latent(36, 4), meta.latents().get(0));
        assertEquals(new TorchScriptFlow.Latent(32, 4), meta.latents().get(1));
        assertEquals(4, meta.attentionLandmarks());
    }
}
