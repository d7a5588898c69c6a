package io.roadneg.flows.imported;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.InputException;
import io.roadneg.flows.FlowSampler;
import io.roadneg.flows.Noise;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A flow exported as TorchScript under the contract {@value #CONTRACT} (written by
 * {@code flows/scripts/export_denseflow_torchscript.py} from a checkpoint of the public DenseFlow code; the contract
 * is in {@code flows/scripts/README.md}): a folder with {@code flow.pt}, whose forward maps standard-normal noise
 * (N x D, D and the order of its values given by {@code flow.json}'s {@code latents}), the size [H, W] and a
 * temperature to images y in the flow's continuous data space (N x 3 x H x W, about [0, 1]), and {@code flow.json}.
 *
 * <p>{@link #open} checks everything it can before any work: every field of {@code flow.json}, that {@code flow.pt}
 * is the file the export wrote (its SHA-256), that it loads as TorchScript, and that it answers a probe of two samples
 * at the smallest size it accepts with float32 N x 3 x H x W finite values. Each breach is a one-line
 * {@link InputException} naming the file, the field and the value. Samples draw their noise with
 * {@link Noise#seeded}, so they are byte-identical for a seed, and are quantised as the public code does:
 * {@code floor(256 y)} clamped to 0 .. 255.
 */
public final class TorchScriptFlow implements FlowSampler {
    /** The contract id {@code flow.json} must carry. */
    public static final String CONTRACT = "roadneg-flow/1";
    /** The metadata file of an export folder. */
    public static final String META_FILE = "flow.json";
    /** The TorchScript file of an export folder. */
    public static final String MODEL_FILE = "flow.pt";

    private static final int RGB = 3;
    private static final int LEVELS = 256;
    private static final int MAX_DIVISOR = 1 << 12;
    private static final int MAX_LATENTS = 64;
    private static final int MAX_CHANNELS = 1 << 16;
    private static final long MAX_NOISE_VALUES = 1L << 28;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** One part of the noise: {@code channels} x (H / stride) x (W / stride) values. */
    public record Latent(int channels, int stride) {
    }

    /**
     * What {@code flow.json} says: image channels (3), the size divisor (H and W multiples of it), the attention's
     * landmark count (at every stride 2, 4, ..., sizeDivisor the pixel count a multiple of it), the noise parts in
     * the order the module reads them, flow.pt's SHA-256, and a one-line summary of the configuration and source.
     */
    public record Meta(int channels, int sizeDivisor, int attentionLandmarks, List<Latent> latents,
            String modelSha256, String summary) {
        public Meta {
            latents = List.copyOf(latents);
        }
    }

    private final Path dir;
    private final Meta meta;
    private final Model model;
    private final Block module;

    private TorchScriptFlow(Path dir, Meta meta, Model model) {
        this.dir = dir;
        this.meta = meta;
        this.model = model;
        this.module = model.getBlock();
    }

    /**
     * Whether {@code dir} is meant as an export folder (it holds {@code flow.json}); whether the export keeps the
     * contract is {@link #open}'s to say.
     */
    public static boolean isExport(Path dir) {
        return dir != null && Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(META_FILE));
    }

    /** Opens an export folder on the engine's default device; see {@link #open(Path, Device)}. */
    public static TorchScriptFlow open(Path dir) {
        return open(dir, Engine.getEngine("PyTorch").defaultDevice());
    }

    /**
     * Opens an export folder with the module on {@code device}, checking the contract (metadata, checksum, loading,
     * a probe) before returning; a breach is a one-line {@link InputException}.
     */
    public static TorchScriptFlow open(Path dir, Device device) {
        Meta meta = readMeta(dir);
        Path pt = dir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(pt)) {
            throw new InputException(pt, null, null, "missing: an exported flow folder needs " + MODEL_FILE + " beside "
                    + META_FILE);
        }
        String sha = sha256(pt);
        if (!sha.equals(meta.modelSha256())) {
            throw new InputException(dir.resolve(META_FILE), "modelSha256", meta.modelSha256(), "differs from "
                    + MODEL_FILE + "'s SHA-256 " + sha + " (the two files were not written by the same export)");
        }
        Model m = Model.newInstance("flow", device, "PyTorch");
        try {
            m.load(dir, "flow");
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new InputException(pt, null, null, "cannot load as TorchScript: " + firstLine(e), e);
        }
        TorchScriptFlow flow = new TorchScriptFlow(dir, meta, m);
        try {
            flow.probe();
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return flow;
    }

    /** Reads and checks {@code flow.json} of an export folder (no model is loaded). */
    public static Meta readMeta(Path dir) {
        Path file = dir.resolve(META_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, null, null, "missing: an exported flow folder needs " + META_FILE + " and "
                    + MODEL_FILE + " (flows/scripts/export_denseflow_torchscript.py writes them)");
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file, null, null, "not valid JSON: " + firstLine(e), e);
        }
        if (n == null || !n.isObject()) {
            throw new InputException(file, null, null, "must hold a JSON object");
        }
        JsonNode contract = n.get("contract");
        if (contract == null || !contract.isTextual()) {
            throw new InputException(file, "contract", contract, "missing; an export names its contract, "
                    + CONTRACT);
        }
        if (!contract.asText().equals(CONTRACT)) {
            throw new InputException(file, "contract", contract.asText(), "unknown; this workbench reads " + CONTRACT);
        }
        int channels = positiveInt(file, n, "channels", MAX_CHANNELS);
        if (channels != RGB) {
            throw new InputException(file, "channels", channels, "must be 3: samples are RGB images");
        }
        int divisor = positiveInt(file, n, "sizeDivisor", MAX_DIVISOR);
        if (Integer.bitCount(divisor) != 1) {
            throw new InputException(file, "sizeDivisor", divisor, "must be a power of two (2 to the number of the "
                    + "flow's squeezes)");
        }
        int landmarks = positiveInt(file, n, "attentionLandmarks", MAX_CHANNELS);
        JsonNode parts = n.get("latents");
        if (parts == null || !parts.isArray() || parts.isEmpty() || parts.size() > MAX_LATENTS) {
            throw new InputException(file, "latents", parts, "must list 1 to " + MAX_LATENTS + " noise parts "
                    + "{channels, stride}");
        }
        List<Latent> latents = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String field = "latents[" + i + "]";
            JsonNode p = parts.get(i);
            if (!p.isObject()) {
                throw new InputException(file, field, p, "must be an object {channels, stride}");
            }
            int c = positiveInt(file, p, field + ".channels", "channels", MAX_CHANNELS);
            int s = positiveInt(file, p, field + ".stride", "stride", MAX_DIVISOR);
            if (Integer.bitCount(s) != 1 || divisor % s != 0) {
                throw new InputException(file, field + ".stride", s, "must be a power of two dividing sizeDivisor "
                        + divisor);
            }
            latents.add(new Latent(c, s));
        }
        JsonNode sha = n.get("modelSha256");
        if (sha == null || !sha.isTextual() || !SHA256.matcher(sha.asText()).matches()) {
            throw new InputException(file, "modelSha256", sha, "must be flow.pt's SHA-256, 64 lower-case hex digits");
        }
        return new Meta(channels, divisor, landmarks, latents, sha.asText(), summary(n));
    }

    private static String summary(JsonNode n) {
        StringBuilder sb = new StringBuilder(n.path("architecture").asText("flow"));
        JsonNode c = n.path("configuration");
        if (c.isObject()) {
            sb.append(' ').append(c);
        }
        JsonNode src = n.path("source");
        if (src.hasNonNull("checkpoint")) {
            sb.append(", checkpoint ").append(src.get("checkpoint").asText());
        }
        if (src.hasNonNull("sha256")) {
            sb.append(" sha256 ").append(src.get("sha256").asText());
        }
        return sb.toString().replace('\n', ' ');
    }

    private static int positiveInt(Path file, JsonNode n, String field, int max) {
        return positiveInt(file, n, field, field, max);
    }

    private static int positiveInt(Path file, JsonNode n, String field, String key, int max) {
        JsonNode v = n.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0 || v.asInt() > max) {
            throw new InputException(file, field, v, "must be an integer from 1 to " + max);
        }
        return v.asInt();
    }

    /** The folder it was opened from. */
    public Path dir() {
        return dir;
    }

    /** The contract metadata. */
    public Meta meta() {
        return meta;
    }

    @Override
    public int channels() {
        return meta.channels();
    }

    @Override
    public boolean acceptsSize(int height, int width) {
        return sizeProblem(height, width) == null;
    }

    /** Refuses, in one line, a size this flow cannot decode (field names the option the size came from). */
    @Override
    public void checkSize(int height, int width, String field) {
        String problem = sizeProblem(height, width);
        if (problem != null) {
            throw new InputException(null, field, height + "x" + width, problem + " (the export in " + dir + ")");
        }
    }

    private String sizeProblem(int height, int width) {
        int d = meta.sizeDivisor();
        if (height <= 0 || width <= 0 || height % d != 0 || width % d != 0) {
            return "this flow needs height and width positive multiples of " + d + " (sizeDivisor)";
        }
        for (int s = 2; s <= d; s *= 2) {
            long pixels = (long) (height / s) * (width / s);
            if (pixels % meta.attentionLandmarks() != 0) {
                return "at stride " + s + " it has " + (height / s) + "x" + (width / s) + " pixels, not a multiple of "
                        + "the attention's " + meta.attentionLandmarks() + " landmarks (attentionLandmarks)";
            }
        }
        return null;
    }

    /** Noise values one sample of {@code height} x {@code width} reads (D of the contract). */
    public long noiseDims(int height, int width) {
        long d = 0;
        for (Latent l : meta.latents()) {
            d += (long) l.channels() * (height / l.stride()) * (width / l.stride());
        }
        return d;
    }

    /**
     * Runs the module on given noise (N x D float32, D = {@link #noiseDims}): the continuous images y, N x 3 x H x W
     * float32, in {@code noise}'s manager. Checks the size and temperature first.
     */
    public NDArray decode(NDArray noise, int height, int width, double temperature) {
        checkSize(height, width, "sample size");
        checkTemperature(temperature);
        long d = noiseDims(height, width);
        Shape s = noise.getShape();
        if (s.dimension() != 2 || s.get(1) != d) {
            throw new IllegalArgumentException("noise must be N x " + d + " for " + height + "x" + width + ", not "
                    + s);
        }
        return run(noise, height, width, temperature);
    }

    /**
     * {@code count} continuous samples y (N x 3 x H x W, about [0, 1]) in {@code m}, their noise drawn with
     * {@code Noise.seeded(seed, firstItem)}: item i is the same whatever the batch it is drawn in.
     */
    public NDArray sampleContinuous(NDManager m, int count, int height, int width, double temperature, long seed,
            long firstItem) {
        checkSize(height, width, "sample size");
        checkTemperature(temperature);
        long d = noiseDims(height, width);
        if (count <= 0 || count * d > MAX_NOISE_VALUES) {
            throw new InputException(null, "count", count, "must be positive, with count x " + d + " noise values "
                    + "at most " + MAX_NOISE_VALUES + " per call (draw in smaller batches)");
        }
        Device device = model.getNDManager().getDevice();
        try (NDManager work = m.newSubManager(device)) {
            NDArray noise = Noise.seeded(seed, firstItem).normal(work, new Shape(count, d));
            NDArray y = run(noise, height, width, temperature);
            NDArray out = y.toDevice(m.getDevice(), false);
            out.attach(m);
            return out;
        }
    }

    @Override
    public NDArray sample(NDManager m, int count, int height, int width, double temperature, long seed,
            long firstItem) {
        try (NDManager work = m.newSubManager()) {
            NDArray img = quantize(sampleContinuous(work, count, height, width, temperature, seed, firstItem));
            img.attach(m);
            return img;
        }
    }

    /** The images of continuous samples: {@code floor(256 y)} clamped to 0 .. 255, as float32. */
    public static NDArray quantize(NDArray y) {
        return y.mul(LEVELS).floor().clip(0, LEVELS - 1);
    }

    @Override
    public String name() {
        return "torchscript-export";
    }

    @Override
    public String sha256() {
        return meta.modelSha256();
    }

    @Override
    public Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public String describe() {
        return "exported " + meta.summary() + " (" + dir.resolve(MODEL_FILE) + " sha256 " + meta.modelSha256() + ")";
    }

    @Override
    public void close() {
        model.close();
    }

    private static void checkTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new InputException(null, "temperature", temperature, "must be a positive number");
        }
    }

    private NDArray run(NDArray noise, int height, int width, double temperature) {
        NDManager m = noise.getManager();
        NDArray size = m.create(new long[] {height, width});
        NDArray t = m.create(new float[] {(float) temperature});
        try {
            NDList out = module.forward(new ParameterStore(m, false), new NDList(noise, size, t), false);
            return out.singletonOrThrow();
        } finally {
            size.close();
            t.close();
        }
    }

    /** Two samples at the smallest square size the metadata accepts must come back as 2 x 3 x S x S finite float32. */
    private void probe() {
        Path pt = dir.resolve(MODEL_FILE);
        int side = 0;
        for (int k = 1; k <= 64 && side == 0; k++) {
            int s = k * meta.sizeDivisor();
            if (acceptsSize(s, s)) {
                side = s;
            }
        }
        if (side == 0) {
            throw new InputException(dir.resolve(META_FILE), "attentionLandmarks", meta.attentionLandmarks(),
                    "no square size up to 64 x sizeDivisor is accepted");
        }
        long d = noiseDims(side, side);
        String input = "noise 2x" + d + ", size " + side + "x" + side + ", temperature 1";
        try (NDManager probe = NDManager.newBaseManager(model.getNDManager().getDevice())) {
            NDArray noise = Noise.seeded(0, 0).normal(probe, new Shape(2, d));
            NDArray size = probe.create(new long[] {side, side});
            NDArray t = probe.create(new float[] {1f});
            NDList out;
            try {
                out = module.forward(new ParameterStore(probe, false), new NDList(noise, size, t), false);
            } catch (RuntimeException e) {
                throw new InputException(pt, "forward", input, "fails on a probe: " + firstLine(e), e);
            }
            if (out.size() != 1) {
                throw new InputException(pt, "outputs", out.size() + " tensors", "must return one tensor, the "
                        + "images y (probe: " + input + ")");
            }
            NDArray y = out.get(0);
            if (y.getDataType() != DataType.FLOAT32) {
                throw new InputException(pt, "output dtype", y.getDataType(), "must be float32 (probe: " + input + ")");
            }
            Shape want = new Shape(2, RGB, side, side);
            if (!y.getShape().equals(want)) {
                throw new InputException(pt, "output shape", y.getShape(), "must be " + want
                        + ", N x 3 x H x W (probe: " + input + ")");
            }
            if (!y.isInfinite().logicalOr(y.isNaN()).none().getBoolean()) {
                throw new InputException(pt, "output", "non-finite values", "the probe's images must be finite (probe: "
                        + input + ")");
            }
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + firstLine(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The useful line of an engine error: the module's own "roadneg-flow:" message when it raised one, else the
     * first non-blank line.
     */
    static String firstLine(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        String first = null;
        for (String line : msg.split("\n")) {
            String l = line.strip();
            if (l.contains("roadneg-flow:")) {
                return l.substring(l.indexOf("roadneg-flow:"));
            }
            if (first == null && !l.isEmpty()) {
                first = l;
            }
        }
        return first == null ? e.getClass().getSimpleName() : first;
    }
}
