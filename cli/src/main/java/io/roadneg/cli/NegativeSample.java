package io.roadneg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.finetune.train.Trainer;
import io.roadneg.generators.Preview;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a fine-tune's negatives look like, measured on its actual draws ({@code gen finetune --sample-negatives N}):
 * per drawn sample the pasted pixels (label {@value LabelValues#PASTED_OUTLIER}), the objects pasted and the colour
 * sums of the pasted pixels, written to {@code negatives.json} with a summary, and a preview sheet of the first
 * {@value #PREVIEW} samples with the pasted pixels tinted and outlined ({@code preview.png}).
 */
final class NegativeSample {
    /** The stats file. */
    static final String FILE = "negatives.json";
    /** The preview sheet. */
    static final String PREVIEW_FILE = "preview.png";
    /** Samples shown in the preview sheet. */
    static final int PREVIEW = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private NegativeSample() {
    }

    /** Writes {@code negatives.json} and (when any sample carries negatives) {@code preview.png} into {@code out}. */
    static ObjectNode write(List<Trainer.NegativeDraw> draws, String source, Path out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("source", source);
        ArrayNode arr = root.putArray("draws");
        List<RgbImage> thumbs = new ArrayList<>();
        for (Trainer.NegativeDraw d : draws) {
            RgbImage img = d.negative().scene().image();
            LabelMap ids = d.negative().scene().trainIds();
            int[] t = ids.data();
            byte[] p = img.data();
            long pasted = 0;
            long[] sum = new long[3];
            long[] sq = new long[3];
            int[] ood = new int[t.length];
            for (int i = 0; i < t.length; i++) {
                if (t[i] == LabelValues.PASTED_OUTLIER) {
                    ood[i] = 1;
                    pasted++;
                    for (int c = 0; c < 3; c++) {
                        int v = p[i * 3 + c] & 0xff;
                        sum[c] += v;
                        sq[c] += (long) v * v;
                    }
                }
            }
            ObjectNode n = arr.addObject();
            n.put("sample", d.sample());
            n.put("frame", d.frame());
            n.put("pasted_from", d.negative().provenance());
            if (d.negative().objects() >= 0) {
                n.put("objects", d.negative().objects());
            } else {
                n.putNull("objects");
            }
            n.put("pixels", (long) t.length);
            n.put("pasted", pasted);
            Arrays.stream(sum).forEach(n.putArray("rgb_sum")::add);
            Arrays.stream(sq).forEach(n.putArray("rgb_sum_sq")::add);
            if (thumbs.size() < PREVIEW) {
                thumbs.add(Preview.overlay(img, new LabelMap(ids.width(), ids.height(), ood)));
            }
        }
        root.set("summary", summary(List.of(root)));
        io.roadneg.datasets.io.Roots.createFolder(out, "--out");
        AblationReport.writeJson(out.resolve(FILE), root);
        if (!thumbs.isEmpty()) {
            Images.writePng(out.resolve(PREVIEW_FILE), Preview.sheet(thumbs), 6, Map.of());
        }
        return root;
    }

    /**
     * The summary of the draws of one or more {@code negatives.json} trees, pooled: samples; objects per sample
     * (mean, min, max); pasted area as a fraction of the frame (mean, 10th, 50th and 90th percentile by nearest
     * rank) and per object (mean); mean and standard deviation of the pasted pixels' R, G, B.
     */
    static ObjectNode summary(List<JsonNode> trees) {
        List<Double> area = new ArrayList<>();
        List<Integer> objects = new ArrayList<>();
        double perObject = 0;
        int perObjectN = 0;
        long pasted = 0;
        double[] sum = new double[3];
        double[] sq = new double[3];
        for (JsonNode t : trees) {
            for (JsonNode d : t.path("draws")) {
                double a = d.path("pasted").asDouble() / d.path("pixels").asDouble();
                area.add(a);
                if (d.path("objects").isNumber() && d.path("objects").asInt() > 0) {
                    objects.add(d.path("objects").asInt());
                    perObject += a / d.path("objects").asInt();
                    perObjectN++;
                }
                pasted += d.path("pasted").asLong();
                for (int c = 0; c < 3; c++) {
                    sum[c] += d.path("rgb_sum").path(c).asDouble();
                    sq[c] += d.path("rgb_sum_sq").path(c).asDouble();
                }
            }
        }
        ObjectNode s = JSON.createObjectNode();
        s.put("samples", area.size());
        put(s, "objects_mean", objects.stream().mapToDouble(Integer::doubleValue).average().orElse(Double.NaN));
        put(s, "objects_min", objects.stream().mapToInt(Integer::intValue).min().orElse(-1));
        put(s, "objects_max", objects.stream().mapToInt(Integer::intValue).max().orElse(-1));
        double[] sorted = area.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        put(s, "area_mean", Arrays.stream(sorted).average().orElse(Double.NaN));
        put(s, "area_p10", rank(sorted, 0.10));
        put(s, "area_p50", rank(sorted, 0.50));
        put(s, "area_p90", rank(sorted, 0.90));
        put(s, "area_per_object_mean", perObjectN == 0 ? Double.NaN : perObject / perObjectN);
        ArrayNode mean = s.putArray("rgb_mean");
        ArrayNode sd = s.putArray("rgb_sd");
        for (int c = 0; c < 3; c++) {
            double m = pasted == 0 ? Double.NaN : sum[c] / pasted;
            double v = pasted == 0 ? Double.NaN : Math.max(0, sq[c] / pasted - m * m);
            add(mean, m);
            add(sd, Math.sqrt(v));
        }
        return s;
    }

    /** Nearest-rank percentile of sorted values; NaN for none. */
    static double rank(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int k = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, k - 1))];
    }

    private static void put(ObjectNode n, String k, double v) {
        if (Double.isFinite(v) && v >= 0) {
            n.put(k, v);
        } else {
            n.putNull(k);
        }
    }

    private static void add(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }
}
