package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.evaluation.metrics.ExactPixelMetrics;
import io.roadneg.evaluation.metrics.Half;
import io.roadneg.evaluation.scores.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gen eval} and {@code gen export-smiyc} end to end on a tiny SMIYC AnomalyTrack fixture. */
class EvalCommandTest {
    private static final int W = 48;
    private static final int H = 32;

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int gen(String... args) {
        CommandLine cl = Gen.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** Writes 3 frames in the SMIYC layout and float32 scores; returns the expected exact AP. */
    private double fixture(Path root, Path scores, boolean half) {
        Path track = root.resolve("smiyc/dataset_AnomalyTrack");
        Random rnd = new Random(7);
        ExactPixelMetrics ref = new ExactPixelMetrics();
        for (int f = 0; f < 3; f++) {
            String fid = String.format("validation%04d", f);
            RgbImage img = RgbImage.blank(W, H);
            int[] lab = new int[W * H];
            float[] s = new float[W * H];
            byte[] t = new byte[W * H];
            for (int i = 0; i < lab.length; i++) {
                int x = i % W;
                int y = i / W;
                lab[i] = y < 3 ? 255 : (x >= 10 + f * 5 && x < 25 + f * 5 && y >= 10 && y < 24) ? 1 : 0;
                s[i] = (lab[i] == 1 ? 0.4f : 0f) + rnd.nextInt(20) / 20f;
                if (half) {
                    s[i] = Half.toFloat(Half.fromFloat(s[i]));
                }
                t[i] = (byte) lab[i];
                img.setRgb(x, y, 0x406080);
            }
            AtomicFiles.write(track.resolve("images/" + fid + ".jpg"), Images.encodeJpeg(img, 90));
            Images.writePng(track.resolve("labels_masks/" + fid + "_labels_semantic.png"), new LabelMap(W, H, lab),
                    1, Map.of());
            Npy.write(scores.resolve(fid + ".npy"), W, H, s, half);
            ref.update(s, t);
        }
        // a test image without public labels is skipped, as in the real release
        AtomicFiles.write(track.resolve("images/test0000.jpg"), Images.encodeJpeg(RgbImage.blank(W, H), 90));
        return ref.compute().ap();
    }

    @Test
    void evalWritesReportsWithExactMetrics() throws Exception {
        Path root = tmp.resolve("data");
        Path scores = tmp.resolve("scores");
        double ap = fixture(root, scores, false);
        Path out = tmp.resolve("report");
        int code = gen("eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                scores.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, code, err.toString());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, m.get("frames").asInt());
        assertEquals("exact", m.get("protocol").asText());
        assertEquals("gen eval", m.get("provenance").get("command").asText());
        assertTrue(m.get("provenance").get("environment").has("java"), m.toString());
        assertEquals(W + "x" + H, m.get("resolution").asText());
        assertTrue(m.get("void_rule").asText().contains("255 void"));
        assertEquals(ap, m.get("pixel").get("ap").asDouble(), 1e-12);
        assertTrue(m.get("per_image").get("frames").asInt() == 3);
        for (String f : new String[] {"metrics.md", "pr.png", "pr.svg", "roc.png", "roc.svg", "report.html"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("overlay_validation"));
        List<String> curve = Files.readAllLines(out.resolve("curve.csv"));
        assertEquals("threshold,recall,fpr,precision", curve.get(0));
        assertTrue(curve.size() > 2, "points: " + curve);
        double prev = 0;
        for (String line : curve.subList(1, curve.size())) {
            double recall = Double.parseDouble(line.split(",")[1]);
            assertTrue(recall >= prev && recall <= 1, "recall rises from the highest threshold down: " + curve);
            prev = recall;
        }
        assertTrue(Files.readString(out.resolve("metrics.md")).contains("| AP |"));
    }

    @Test
    void smiycProtocolAddsUniformBinsAndComponents() throws Exception {
        Path root = tmp.resolve("data");
        Path scores = tmp.resolve("scores");
        fixture(root, scores, true);
        Path out = tmp.resolve("report");
        assertEquals(0, gen("eval", "--dataset", "smiyc-anomaly", "--root", root.resolve("smiyc").toString(),
                "--scores", scores.toString(), "--protocol", "smiyc", "--out", out.toString(), "--quiet"),
                err.toString());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertTrue(m.get("pixel").get("protocol").asText().contains("768 percentile"));
        assertTrue(m.has("pixel_uniform_bins"));
        // 15x14 = 210 px objects: kept by the 100 px rule; predictions under 500 px are dropped
        assertEquals(3, m.get("components").get("gt_components").asInt());
        double ap = m.get("pixel").get("ap").asDouble();
        assertTrue(ap > 0.3 && ap <= 1.0, "AP " + ap);
    }

    /** A float64 .npy of an H x W map, as numpy writes it. */
    private static void writeFloat64(Path file, double[] v) throws Exception {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + H + ", " + W + "), }";
        String header = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 8 * v.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (double d : v) {
            b.putDouble(d);
        }
        Files.write(file, b.array());
    }

    @Test
    void float64ScoresAreRankedAsDoubles() throws Exception {
        Path root = tmp.resolve("data");
        Path scores = tmp.resolve("scores");
        fixture(root, scores, false);
        // near ties float32 cannot tell apart: within each tie of the fixture, anomalies a few 1e-13 higher
        ExactPixelMetrics wide = new ExactPixelMetrics();
        ExactPixelMetrics rounded = new ExactPixelMetrics();
        double[] frame1 = null;
        Path halves = tmp.resolve("halves");
        for (int f = 0; f < 3; f++) {
            Path file = scores.resolve(String.format("validation%04d.npy", f));
            float[] s = Npy.read(file).values();
            double[] d = new double[s.length];
            float[] r = new float[s.length];
            byte[] t = new byte[s.length];
            for (int i = 0; i < s.length; i++) {
                int x = i % W;
                int y = i / W;
                int lab = y < 3 ? 255 : (x >= 10 + f * 5 && x < 25 + f * 5 && y >= 10 && y < 24) ? 1 : 0;
                d[i] = s[i] + (lab == 1 ? 3e-13 : (i % 4) * 1e-13);
                r[i] = (float) d[i];
                t[i] = (byte) lab;
            }
            writeFloat64(file, d);
            float[] h = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                h[i] = Half.toFloat(Half.fromDouble(d[i]));
            }
            Npy.write(halves.resolve(file.getFileName()), W, H, h, true);
            wide.updateWide(d, t);
            rounded.update(r, t);
            if (f == 1) {
                frame1 = d;
            }
        }
        double ap = wide.compute().ap();
        assertTrue(Math.abs(ap - rounded.compute().ap()) > 1e-4, ap + " against " + rounded.compute().ap());
        Path out = tmp.resolve("report");
        assertEquals(0, gen("eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                scores.toString(), "--out", out.toString(), "--quiet"), err.toString());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(ap, m.get("pixel").get("ap").asDouble(), 1e-12);
        assertEquals(3, m.get("per_image").get("frames").asInt());
        Path smiyc = tmp.resolve("smiyc");
        assertEquals(0, gen("eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                scores.toString(), "--protocol", "smiyc", "--out", smiyc.toString(), "--quiet"), err.toString());
        // SMIYC stores float16: each float64 score rounded once, straight from the double
        Path smiycHalves = tmp.resolve("smiyc-halves");
        assertEquals(0, gen("eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                halves.toString(), "--protocol", "smiyc", "--out", smiycHalves.toString(), "--quiet"), err.toString());
        JsonNode a = new ObjectMapper().readTree(smiyc.resolve("metrics.json").toFile()).get("pixel");
        JsonNode b = new ObjectMapper().readTree(smiycHalves.resolve("metrics.json").toFile()).get("pixel");
        assertEquals(b.get("ap").asDouble(), a.get("ap").asDouble(), 0);
        assertEquals(b.get("fpr95").asDouble(), a.get("fpr95").asDouble(), 0);
        Path exported = tmp.resolve("outputs");
        assertEquals(0, gen("export-smiyc", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                scores.toString(), "--method", "Mine", "--out", exported.toString(), "--quiet"), err.toString());
        try (HdfFile h = new HdfFile(exported.resolve("anomaly_p/Mine/AnomalyTrack-validation/validation0001.hdf5"))) {
            float[][] v = (float[][]) h.getDatasetByPath("value").getData();
            for (int i = 0; i < W * H; i++) {
                assertEquals(Half.toFloat(Half.fromDouble(frame1[i])), v[i / W][i % W], 0f);
            }
        }
    }

    @Test
    void exportSmiycIsReadBackWithJhdf() throws Exception {
        Path root = tmp.resolve("data");
        Path scores = tmp.resolve("scores");
        fixture(root, scores, false);
        Path out = tmp.resolve("outputs");
        assertEquals(0, gen("export-smiyc", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                scores.toString(), "--method", "Mine", "--out", out.toString(), "--quiet"), err.toString());
        Path f = out.resolve("anomaly_p/Mine/AnomalyTrack-validation/validation0001.hdf5");
        float[] original = Npy.read(scores.resolve("validation0001.npy")).values();
        try (HdfFile h = new HdfFile(f)) {
            float[][] v = (float[][]) h.getDatasetByPath("value").getData();
            assertEquals(H, v.length);
            assertEquals(W, v[0].length);
            assertEquals(Half.toFloat(Half.fromFloat(original[5 * W + 7])), v[5][7], 0f);
        }
        // the exported files are valid score input again, with the same exact AP as float16-rounded npy scores
        Path rep = tmp.resolve("rep");
        assertEquals(0, gen("eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                f.getParent().toString(), "--out", rep.toString(), "--quiet"), err.toString());
    }

    @Test
    void badInputGivesOneLineAndExitTwo() throws Exception {
        Path root = tmp.resolve("data");
        Path scores = tmp.resolve("scores");
        fixture(root, scores, false);
        String[] args = {"eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
            scores.toString(), "--quiet"};
        // NaN score
        float[] s = Npy.read(scores.resolve("validation0002.npy")).values();
        s[W + 3] = Float.NaN;
        Npy.write(scores.resolve("validation0002.npy"), W, H, s, false);
        assertEquals(2, gen(args));
        assertTrue(err.toString().contains("validation0002.npy") && err.toString().contains("NaN"), err.toString());
        // size mismatch
        Npy.write(scores.resolve("validation0002.npy"), W - 1, H, new float[(W - 1) * H], false);
        assertEquals(2, gen(args));
        assertTrue(err.toString().contains("score map size differs"), err.toString());
        // missing frame
        Files.delete(scores.resolve("validation0002.npy"));
        assertEquals(2, gen(args));
        assertTrue(err.toString().contains("missing score map"), err.toString());
        // a label value outside the rule
        Npy.write(scores.resolve("validation0002.npy"), W, H, new float[W * H], false);
        Path lab = root.resolve("smiyc/dataset_AnomalyTrack/labels_masks/validation0000_labels_semantic.png");
        Images.writePng(lab, LabelMap.filled(W, H, 7), 1, Map.of());
        assertEquals(2, gen(args));
        assertTrue(err.toString().contains("label value = 7"), err.toString());
        // wrong layout
        assertEquals(2, gen("eval", "--dataset", "fs-laf", "--root", root.toString(), "--scores", scores.toString()));
        assertTrue(err.toString().contains("expected folder LostAndFound/original"), err.toString());
        // an --out that cannot be a folder is refused before any frame is read (here the label above would fail)
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        for (Path out : new Path[] {file, file.resolve("below")}) {
            err.getBuffer().setLength(0);
            assertEquals(2, gen("eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                    scores.toString(), "--out", out.toString(), "--quiet"));
            assertTrue(err.toString().contains("--out = " + out) && !err.toString().contains("label value"),
                    err.toString());
        }
    }

    @Test
    void allInlierSetSaysUndefined() throws Exception {
        Path root = tmp.resolve("data");
        Path scores = tmp.resolve("scores");
        fixture(root, scores, false);
        for (int f = 0; f < 3; f++) {
            Path lab = root.resolve(String.format(
                    "smiyc/dataset_AnomalyTrack/labels_masks/validation%04d_labels_semantic.png", f));
            Images.writePng(lab, LabelMap.filled(W, H, 0), 1, Map.of());
        }
        Path out = tmp.resolve("rep");
        assertEquals(2, gen("eval", "--dataset", "smiyc-anomaly", "--root", root.toString(), "--scores",
                scores.toString(), "--out", out.toString(), "--quiet"));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertTrue(m.get("pixel").get("ap").isNull());
        assertTrue(m.get("pixel").get("undefined").asText().contains("no anomaly pixel"));
        assertTrue(Files.readString(out.resolve("metrics.md")).contains("undefined"));
    }

    /** One 4x2 StreetHazards frame: raw labels, anomaly scores and 8-bit class predictions. */
    private static void streetHazardsFrame(Path root, Path scores, Path classes, String town, String id, int[] raw,
            float[] score, int[] cls) {
        AtomicFiles.write(root.resolve("test/images/test/" + town + "/" + id + ".png"),
                Images.encodePng(RgbImage.blank(4, 2), 1, Map.of()));
        Images.writePng(root.resolve("test/annotations/test/" + town + "/" + id + ".png"), new LabelMap(4, 2, raw), 1,
                Map.of());
        Npy.write(scores.resolve(id + ".npy"), 4, 2, score, false);
        if (cls != null) {
            Images.writePng(classes.resolve(id + ".png"), new LabelMap(4, 2, cls), 1, Map.of());
        }
    }

    @Test
    void openSetOnStreetHazardsWithHeldOutCalibration() throws Exception {
        Path root = tmp.resolve("streethazards");
        Path scores = tmp.resolve("scores");
        Path classes = tmp.resolve("classes");
        // t6 calibrates: its four anomaly pixels score 0.9..0.6, so TPR reaches 95% (all four) at 0.6; the void
        // pixel's 0.99 must not count
        streetHazardsFrame(root, scores, classes, "t6", "500", new int[] {14, 14, 14, 14, 1, 1, 2, 0},
                new float[] {0.9f, 0.8f, 0.7f, 0.6f, 0.1f, 0.65f, 0.2f, 0.99f}, null);
        // t5: raw 1,1,2,2,3,14,14,0 -> classes 0,0,1,1,2,A,A,void
        streetHazardsFrame(root, scores, classes, "t5", "300", new int[] {1, 1, 2, 2, 3, 14, 14, 0},
                new float[] {0.1f, 0.7f, 0.2f, 0.3f, 0.1f, 0.9f, 0.5f, 0.9f}, new int[] {0, 1, 1, 1, 2, 2, 0, 5});
        Path out = tmp.resolve("report");
        int code = gen("eval", "--dataset", "streethazards-t5", "--root", root.toString(), "--scores",
                scores.toString(), "--classes", classes.toString(), "--calibrate-on", "streethazards-t6", "--out",
                out.toString(), "--quiet");
        assertEquals(0, code, err.toString());
        JsonNode o = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("open_set");
        assertEquals("streethazards-t6", o.get("calibrated_on").asText());
        assertEquals(0.6f, (float) o.get("threshold").asDouble(), 0f);
        // open predictions 0,A,1,1,2,A,0: IoU class0 1/3 (tp 1, 2 labelled, 2 predicted), class1 1, class2 1;
        // anomaly tp 1 of 2 labelled and 2 predicted -> 1/3
        assertEquals((1.0 / 3 + 1 + 1) / 3, o.get("open_mIoU").asDouble(), 1e-12);
        assertEquals(1.0 / 3, o.get("anomaly_IoU").asDouble(), 1e-12);
        // closed argmax on known pixels 0,1,1,1,2: class0 1/2, class1 2/3, class2 1
        assertEquals((0.5 + 2.0 / 3 + 1) / 3, o.get("closed_mIoU").asDouble(), 1e-12);
        assertEquals(3, o.get("classes_present").asInt());
        assertTrue(o.get("protocol").asText().contains("held-out"));
        String md = Files.readString(out.resolve("metrics.md"));
        assertTrue(md.contains("| open-mIoU | 0.7778 |"), md);
        assertTrue(md.contains("Open-set protocol: DenseHybrid"), md);

        // without --calibrate-on the threshold comes from t5 itself (0.5: both anomalies), and the result says so
        Path self = tmp.resolve("self");
        code = gen("eval", "--dataset", "streethazards-t5", "--root", root.toString(), "--scores", scores.toString(),
                "--classes", classes.toString(), "--threads", "1", "--out", self.toString(), "--quiet");
        assertEquals(0, code, err.toString());
        o = new ObjectMapper().readTree(self.resolve("metrics.json").toFile()).get("open_set");
        assertEquals(0.5f, (float) o.get("threshold").asDouble(), 0f);
        assertEquals((0.5 + 1 + 1) / 3, o.get("open_mIoU").asDouble(), 1e-12);
        assertEquals(2.0 / 3, o.get("anomaly_IoU").asDouble(), 1e-12);
        assertTrue(o.get("protocol").asText().contains("optimistic"));

        // a class id outside 0..12 names the file, the field and the value
        Images.writePng(classes.resolve("300.png"), new LabelMap(4, 2, new int[] {0, 0, 0, 13, 0, 0, 0, 0}), 1,
                Map.of());
        err.getBuffer().setLength(0);
        code = gen("eval", "--dataset", "streethazards-t5", "--root", root.toString(), "--scores", scores.toString(),
                "--classes", classes.toString(), "--quiet");
        assertEquals(2, code);
        assertTrue(err.toString().contains("300.png") && err.toString().contains("13 at pixel (3, 0)"),
                err.toString());
        // open-set options without class predictions are a usage error
        assertEquals(2, gen("eval", "--dataset", "streethazards-t5", "--root", root.toString(), "--scores",
                scores.toString(), "--calibrate-on", "streethazards-t6", "--quiet"));
    }
}
