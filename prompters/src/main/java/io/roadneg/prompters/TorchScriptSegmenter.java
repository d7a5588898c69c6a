package io.roadneg.prompters;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.masks.Box;
import io.roadneg.generators.masks.PredictedMask;
import io.roadneg.generators.masks.PromptableSegmenter;
import io.roadneg.generators.masks.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A SAM-style prompter exported to TorchScript: an image encoder run once per image and a prompt/mask decoder run
 * once per batch of prompts. The contract (the export script {@code scripts/export_sam_torchscript.py} writes it):
 * <ul>
 * <li>{@code DIR/prompter.json}: {@code {"image_size": S, "pixel_mean": [r, g, b], "pixel_std": [r, g, b]}}
 *     (SAM's values when absent: 1024 and the ImageNet statistics on 0..255);</li>
 * <li>pre-processing (done here): resize the RGB image so its longest side is S (bilinear, sides rounded), subtract
 *     the mean, divide by the std, pad bottom and right with zeros to S x S;</li>
 * <li>{@code DIR/encoder.pt}: {@code float32[1, 3, S, S]} in, one embedding tensor (any shape) out;</li>
 * <li>{@code DIR/decoder.pt}: {@code (embedding, boxes float32[N, 4] as x0 y0 x1 y1, points float32[N, P, 2],
 *     point_labels float32[N, P])} in, all coordinates in the resized (pre-padding) image, labels 1 positive, 0
 *     negative, -1 padding (P is at least 1); {@code (mask_logits float32[N, 1, h, w] or [N, h, w], scores float32[N]
 *     or [N, 1])} out, where the logits cover the padded S x S input;</li>
 * <li>post-processing (done here): the logits are sampled bilinearly back to each original pixel and thresholded at
 *     0 (SAM's rule).</li>
 * </ul>
 * Outputs that break the contract are an {@link InputException} naming the decoder file, before any mask is used.
 */
public final class TorchScriptSegmenter implements PromptableSegmenter {
    private static final double[] SAM_MEAN = {123.675, 116.28, 103.53};
    private static final double[] SAM_STD = {58.395, 57.12, 57.375};

    private final Path dir;
    private final Model encoder;
    private final Model decoder;
    private final int imageSize;
    private final double[] mean;
    private final double[] std;

    private TorchScriptSegmenter(Path dir, Model encoder, Model decoder, int imageSize, double[] mean, double[] std) {
        this.dir = dir;
        this.encoder = encoder;
        this.decoder = decoder;
        this.imageSize = imageSize;
        this.mean = mean;
        this.std = std;
    }

    /** Loads {@code DIR/encoder.pt}, {@code DIR/decoder.pt} and {@code DIR/prompter.json}. */
    public static TorchScriptSegmenter load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir, "--prompter", "torchscript:" + dir, "not a folder");
        }
        int size = 1024;
        double[] mean = SAM_MEAN.clone();
        double[] std = SAM_STD.clone();
        Path cfg = dir.resolve("prompter.json");
        if (Files.isRegularFile(cfg)) {
            JsonNode n;
            try {
                n = new ObjectMapper().readTree(cfg.toFile());
            } catch (IOException e) {
                throw new InputException(cfg, null, null, "cannot read: " + e.getMessage(), e);
            }
            if (n.has("image_size")) {
                size = n.get("image_size").asInt(-1);
                if (size < 16 || size > 4096) {
                    throw new InputException(cfg, "image_size", n.get("image_size"), "must be an integer in 16..4096");
                }
            }
            mean = triple(cfg, n, "pixel_mean", mean, false);
            std = triple(cfg, n, "pixel_std", std, true);
        }
        Model enc = loadModel(dir, "encoder");
        Model dec;
        try {
            dec = loadModel(dir, "decoder");
        } catch (RuntimeException e) {
            enc.close();
            throw e;
        }
        return new TorchScriptSegmenter(dir, enc, dec, size, mean, std);
    }

    private static double[] triple(Path cfg, JsonNode n, String field, double[] dflt, boolean positive) {
        JsonNode v = n.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isArray() || v.size() != 3) {
            throw new InputException(cfg, field, v, "must hold 3 numbers (R, G, B)");
        }
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = v.get(i).asDouble(Double.NaN);
            if (!Double.isFinite(out[i]) || (positive && out[i] <= 0)) {
                throw new InputException(cfg, field, v, positive ? "must hold 3 positive numbers" : "must hold 3 numbers");
            }
        }
        return out;
    }

    private static Model loadModel(Path dir, String name) {
        Path file = dir.resolve(name + ".pt");
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, null, null, "missing: a torchscript prompter needs encoder.pt and decoder.pt");
        }
        Model m = Model.newInstance(name, "PyTorch");
        try {
            m.load(dir, name);
            return m;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new InputException(file, null, null, "cannot load as TorchScript: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "torchscript:" + dir.getFileName();
    }

    /** The square input side S. */
    public int imageSize() {
        return imageSize;
    }

    @Override
    public Session encode(RgbImage image) {
        int w = image.width();
        int h = image.height();
        double scale = (double) imageSize / Math.max(w, h);
        int rw = Math.max(1, (int) Math.round(w * scale));
        int rh = Math.max(1, (int) Math.round(h * scale));
        float[] input = preprocess(image, rw, rh);
        NDManager manager = NDManager.newBaseManager();
        Predictor<NDList, NDList> enc = encoder.newPredictor(new NoopTranslator());
        Predictor<NDList, NDList> dec = decoder.newPredictor(new NoopTranslator());
        NDArray embedding;
        try {
            NDList out = enc.predict(new NDList(manager.create(input, new Shape(1, 3, imageSize, imageSize))));
            if (out.isEmpty()) {
                throw contract("encoder.pt", "output", "empty", "must return an embedding tensor");
            }
            embedding = out.get(0);
            embedding.attach(manager);
        } catch (TranslateException | RuntimeException e) {
            enc.close();
            dec.close();
            manager.close();
            throw e instanceof InputException ie ? ie
                    : new InputException(dir.resolve("encoder.pt"), "input", "[1, 3, " + imageSize + ", " + imageSize
                            + "]", "the encoder failed: " + e.getMessage(), e);
        }
        enc.close();
        return new Session() {
            @Override
            public List<PredictedMask> predict(List<Prompt> prompts) {
                return decode(manager, dec, embedding, prompts, w, h, rw, rh);
            }

            @Override
            public void close() {
                dec.close();
                manager.close();
            }
        };
    }

    private float[] preprocess(RgbImage image, int rw, int rh) {
        Mat bgr = Mats.fromRgb(image);
        Mat resized = new Mat();
        Imgproc.resize(bgr, resized, new Size(rw, rh), 0, 0, Imgproc.INTER_LINEAR);
        bgr.release();
        RgbImage small = Mats.toRgb(resized);
        resized.release();
        int s = imageSize;
        float[] out = new float[3 * s * s];
        byte[] d = small.data();
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                for (int c = 0; c < 3; c++) {
                    out[c * s * s + y * s + x] = (float) (((d[(y * rw + x) * 3 + c] & 0xff) - mean[c]) / std[c]);
                }
            }
        }
        return out;
    }

    private List<PredictedMask> decode(NDManager parent, Predictor<NDList, NDList> dec, NDArray embedding,
            List<Prompt> prompts, int w, int h, int rw, int rh) {
        int n = prompts.size();
        if (n == 0) {
            return List.of();
        }
        double sx = (double) rw / w;
        double sy = (double) rh / h;
        int p = 1;
        for (Prompt pr : prompts) {
            p = Math.max(p, pr.points().size());
        }
        float[] boxes = new float[n * 4];
        float[] points = new float[n * p * 2];
        float[] labels = new float[n * p];
        java.util.Arrays.fill(labels, -1f);
        for (int i = 0; i < n; i++) {
            Box b = prompts.get(i).box();
            if (b.clip(w, h).isEmpty()) {
                throw new IllegalArgumentException("box [" + b.x0() + ", " + b.y0() + ", " + b.x1() + ", " + b.y1()
                        + "] does not overlap the " + w + "x" + h + " image");
            }
            boxes[i * 4] = (float) (b.x0() * sx);
            boxes[i * 4 + 1] = (float) (b.y0() * sy);
            boxes[i * 4 + 2] = (float) (b.x1() * sx);
            boxes[i * 4 + 3] = (float) (b.y1() * sy);
            List<Prompt.Point> pts = prompts.get(i).points();
            for (int k = 0; k < pts.size(); k++) {
                points[(i * p + k) * 2] = (float) ((pts.get(k).x() + 0.5) * sx - 0.5);
                points[(i * p + k) * 2 + 1] = (float) ((pts.get(k).y() + 0.5) * sy - 0.5);
                labels[i * p + k] = pts.get(k).positive() ? 1f : 0f;
            }
        }
        float[] logits;
        float[] scores;
        long[] grid;
        try (NDManager m = parent.newSubManager()) {
            NDList in = new NDList(embedding, m.create(boxes, new Shape(n, 4)), m.create(points, new Shape(n, p, 2)),
                    m.create(labels, new Shape(n, p)));
            NDList out;
            try {
                out = dec.predict(in);
            } catch (TranslateException | RuntimeException e) {
                throw new InputException(dir.resolve("decoder.pt"), "input", "(embedding, boxes[" + n
                        + ", 4], points[" + n + ", " + p + ", 2], labels[" + n + ", " + p + "])",
                        "the decoder failed: " + e.getMessage(), e);
            }
            if (out.size() < 2) {
                throw contract("decoder.pt", "output", out.size() + " tensors", "must return (mask_logits, scores)");
            }
            NDArray masks = out.get(0);
            NDArray sc = out.get(1);
            Shape ms = masks.getShape();
            boolean rank4 = ms.dimension() == 4 && ms.get(1) == 1;
            if (!(rank4 || ms.dimension() == 3) || ms.get(0) != n) {
                throw contract("decoder.pt", "mask_logits shape", ms, "must be [" + n + ", 1, h, w] or [" + n
                        + ", h, w] for " + n + " prompts");
            }
            if (sc.getShape().size() != n) {
                throw contract("decoder.pt", "scores shape", sc.getShape(), "must hold " + n + " values");
            }
            grid = new long[] {ms.get(ms.dimension() - 2), ms.get(ms.dimension() - 1)};
            logits = masks.toType(DataType.FLOAT32, false).toFloatArray();
            scores = sc.toType(DataType.FLOAT32, false).toFloatArray();
        }
        for (float v : scores) {
            if (!Float.isFinite(v)) {
                throw contract("decoder.pt", "scores", v, "must be finite");
            }
        }
        int gh = (int) grid[0];
        int gw = (int) grid[1];
        List<PredictedMask> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] mask = new byte[w * h];
            int off = i * gh * gw;
            for (int y = 0; y < h; y++) {
                // original pixel centre -> resized image -> logit grid over the padded square
                double gy = ((y + 0.5) * sy) * gh / imageSize - 0.5;
                for (int x = 0; x < w; x++) {
                    double gx = ((x + 0.5) * sx) * gw / imageSize - 0.5;
                    if (bilinear(logits, off, gw, gh, gx, gy) > 0) {
                        mask[y * w + x] = 1;
                    }
                }
            }
            result.add(new PredictedMask(w, h, mask, Math.max(0, Math.min(1, scores[i]))));
        }
        return result;
    }

    private static double bilinear(float[] v, int off, int gw, int gh, double x, double y) {
        x = Math.max(0, Math.min(gw - 1, x));
        y = Math.max(0, Math.min(gh - 1, y));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(gw - 1, x0 + 1);
        int y1 = Math.min(gh - 1, y0 + 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = v[off + y0 * gw + x0] * (1 - fx) + v[off + y0 * gw + x1] * fx;
        double bottom = v[off + y1 * gw + x0] * (1 - fx) + v[off + y1 * gw + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private InputException contract(String file, String field, Object value, String problem) {
        return new InputException(dir.resolve(file), field, value, "breaks the prompter contract: " + problem);
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
    }
}
