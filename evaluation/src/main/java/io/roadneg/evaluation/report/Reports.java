package io.roadneg.evaluation.report;

import io.roadneg.datasets.Futures;
import io.roadneg.datasets.io.Roots;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.roadneg.datasets.Provenance;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.evaluation.EvalResult;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.bench.Target;
import io.roadneg.evaluation.metrics.CurveSummary;
import io.roadneg.evaluation.metrics.PixelMetrics;
import io.roadneg.evaluation.scores.ScoreFiles;
import io.roadneg.evaluation.scores.ScoreMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes the report files of one evaluation. */
public final class Reports {
    private static final int OVERLAYS = 2;
    /** Widest overlay written: the report shows them 640 pixels wide; wider frames are reduced by a whole factor. */
    static final int OVERLAY_WIDTH = 1024;

    private Reports() {
    }

    /** The thinned pixel curve's points, for plots that overlay several evaluations ({@code gen ablate}). */
    public static final String CURVE_FILE = "curve.csv";

    /**
     * Overlays being drawn on their own threads (a daemon pool as wide as the cores, at most 4) while the caller goes
     * on: they need only each frame's own AP, so {@code gen eval} starts them before the pooled metric is folded and
     * walked (one thread for most of that time), and {@link #write(EvalResult, Path, Overlays)} collects them.
     */
    public static final class Overlays implements AutoCloseable {
        private final ExecutorService pool;
        private final List<Future<String>> tasks;

        private Overlays(ExecutorService pool, List<Future<String>> tasks) {
            this.pool = pool;
            this.tasks = tasks;
        }

        /** Stops what is still running (after {@code write}, nothing is). */
        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    /**
     * Creates {@code out} and starts drawing the overlays of the worst and best frames by their own AP
     * ({@code perFrame}, in frame order).
     */
    public static Overlays startOverlays(List<EvalResult.FrameScore> perFrame, Benchmark b, List<Frame> frames,
            List<Path> scoreFiles, Path out) {
        Roots.createFolder(out, "--out");
        // the curves and each overlay are independent files, drawn side by side on the cores (drawn one after the
        // other they took as long as the metric on two cores)
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), run -> {
                    Thread t = new Thread(run, "eval-report");
                    t.setDaemon(true);
                    return t;
                });
        return new Overlays(pool, overlays(perFrame, b, frames, scoreFiles, out, pool));
    }

    /**
     * Writes metrics.json, metrics.md, curve.csv, pr.png/svg, roc.png/svg and report.html into {@code out}, with the
     * overlays {@code started} there for the same frames.
     */
    public static void write(EvalResult r, Path out, Overlays started) {
        try {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(out.resolve("metrics.json"), json.writeValueAsBytes(jsonTree(r)));
            String md = markdown(r);
            AtomicFiles.write(out.resolve("metrics.md"), md.getBytes(StandardCharsets.UTF_8));
            List<Future<?>> curves = r.pixel().defined() ? curves(r, out, started.pool) : List.of();
            List<String> names = new ArrayList<>();
            for (Future<String> o : started.tasks) {
                String n = Futures.join(o);
                if (n != null) {
                    names.add(n); // worst first, then best: the order of the picks, whatever finished first
                }
            }
            for (Future<?> c : curves) {
                Futures.join(c);
            }
            AtomicFiles.write(out.resolve("report.html"), html(r, md, names).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + out + ": " + e.getMessage(), e);
        }
    }

    /** A JSON-friendly tree: undefined values become null with the reason beside them, never 0 or NaN tokens. */
    static Map<String, Object> jsonTree(EvalResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", r.dataset());
        m.put("title", r.title());
        m.put("protocol", r.protocol().name().toLowerCase(Locale.ROOT));
        m.put("pixel_protocol", r.pixel().protocol());
        m.put("void_rule", r.voidRule());
        m.put("resolution", r.resolution());
        m.put("frames", r.frames());
        m.put("provenance", Provenance.run("gen eval", r.protocol().name().toLowerCase(Locale.ROOT), null, null)
                .forItem(null, r.dataset(), java.util.List.of()));
        m.put("pixel", pixel(r.pixel()));
        if (r.pixelUniform() != null) {
            m.put("pixel_uniform_bins", pixel(r.pixelUniform()));
        }
        if (r.perImage() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("protocol", "exact, per-image averaged (frames without both classes left out)");
            p.put("frames", r.perImage().frames());
            p.put("skipped_frames", r.perImage().skipped());
            p.put("ap", num(r.perImage().ap()));
            p.put("auroc", num(r.perImage().auroc()));
            p.put("fpr95", num(r.perImage().fpr95()));
            m.put("per_image", p);
        }
        if (r.components() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("track", r.components().track().name().toLowerCase(Locale.ROOT));
            c.put("threshold", num(r.components().threshold()));
            c.put("gt_components", r.components().groundTruthComponents());
            c.put("pred_components", r.components().predictedComponents());
            c.put("mean_sIoU", num(r.components().meanSIoU()));
            c.put("mean_PPV", num(r.components().meanPpv()));
            c.put("mean_F1", num(r.components().meanF1()));
            m.put("components", c);
        }
        if (r.openSet() != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("protocol", r.openSet().protocol());
            o.put("calibrated_on", r.openSet().calibratedOn());
            o.put("threshold", num(r.openSet().result().threshold()));
            o.put("known_classes", r.openSet().knownClasses());
            o.put("classes_present", r.openSet().result().classesPresent());
            o.put("open_mIoU", num(r.openSet().result().openMIoU()));
            o.put("anomaly_IoU", num(r.openSet().result().anomalyIoU()));
            o.put("closed_mIoU", num(r.openSet().result().closedMIoU()));
            m.put("open_set", o);
        }
        return m;
    }

    private static Map<String, Object> pixel(PixelMetrics p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", p.protocol());
        m.put("anomaly_pixels", p.positives());
        m.put("inlier_pixels", p.negatives());
        m.put("ap", num(p.ap()));
        m.put("auroc", num(p.auroc()));
        m.put("fpr95", num(p.fpr95()));
        m.put("threshold_at_tpr95", num(p.thresholdAtTpr95()));
        m.put("best_f1", num(p.bestF1()));
        m.put("best_f1_threshold", num(p.bestF1Threshold()));
        if (!p.defined()) {
            m.put("undefined", p.undefinedReason());
        }
        return m;
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "undefined";
    }

    /** The Markdown summary. */
    static String markdown(EvalResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title()).append("\n\n");
        sb.append("- protocol: ").append(r.pixel().protocol()).append('\n');
        sb.append("- void rule: ").append(r.voidRule()).append('\n');
        sb.append("- resolution: ").append(r.resolution()).append("; frames: ").append(r.frames()).append("\n\n");
        sb.append("| metric | value |\n|---|---|\n");
        PixelMetrics p = r.pixel();
        sb.append("| AP | ").append(fmt(p.ap())).append(" |\n");
        sb.append("| AUROC | ").append(fmt(p.auroc())).append(" |\n");
        sb.append("| FPR95 | ").append(fmt(p.fpr95())).append(" |\n");
        sb.append("| best F1 | ").append(fmt(p.bestF1())).append(" (threshold ").append(fmt(p.bestF1Threshold()))
                .append(") |\n");
        if (r.pixelUniform() != null) {
            sb.append("| AP (4096 uniform bins) | ").append(fmt(r.pixelUniform().ap())).append(" |\n");
            sb.append("| FPR95 (4096 uniform bins) | ").append(fmt(r.pixelUniform().fpr95())).append(" |\n");
        }
        if (r.perImage() != null) {
            sb.append("| per-image AP (").append(r.perImage().frames()).append(" frames) | ")
                    .append(fmt(r.perImage().ap())).append(" |\n");
            sb.append("| per-image AUROC | ").append(fmt(r.perImage().auroc())).append(" |\n");
            sb.append("| per-image FPR95 | ").append(fmt(r.perImage().fpr95())).append(" |\n");
        }
        if (r.components() != null) {
            sb.append("| sIoU (").append(r.components().track().name().toLowerCase(Locale.ROOT)).append(") | ")
                    .append(fmt(r.components().meanSIoU())).append(" |\n");
            sb.append("| PPV | ").append(fmt(r.components().meanPpv())).append(" |\n");
            sb.append("| mean F1 | ").append(fmt(r.components().meanF1())).append(" |\n");
        }
        if (r.openSet() != null) {
            sb.append("| open-mIoU | ").append(fmt(r.openSet().result().openMIoU())).append(" |\n");
            sb.append("| anomaly IoU | ").append(fmt(r.openSet().result().anomalyIoU())).append(" |\n");
            sb.append("| closed mIoU | ").append(fmt(r.openSet().result().closedMIoU())).append(" |\n");
        }
        if (!p.defined()) {
            sb.append("\n**").append(p.undefinedReason()).append("**\n");
        }
        if (r.openSet() != null) {
            sb.append("\nOpen-set protocol: ").append(r.openSet().protocol()).append(".\n");
        }
        return sb.toString();
    }

    /** Writes curve.csv and starts the ROC and PR charts (PNG and SVG) as one task on {@code pool}. */
    private static List<Future<?>> curves(EvalResult r, Path out, ExecutorService pool) throws IOException {
        List<CurveSummary.Point> pts = r.pixel().curve();
        StringBuilder csv = new StringBuilder("threshold,recall,fpr,precision\n");
        for (CurveSummary.Point p : pts) {
            csv.append(p.threshold()).append(',').append(p.tpr()).append(',').append(p.fpr()).append(',')
                    .append(p.precision()).append('\n');
        }
        AtomicFiles.write(out.resolve(CURVE_FILE), csv.toString().getBytes(StandardCharsets.UTF_8));
        double[] fpr = new double[pts.size() + 1];
        double[] tpr = new double[pts.size() + 1];
        double[] rec = new double[pts.size()];
        double[] prec = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            fpr[i + 1] = pts.get(i).fpr();
            tpr[i + 1] = pts.get(i).tpr();
            rec[i] = pts.get(i).tpr();
            prec[i] = pts.get(i).precision();
        }
        // one task for both: most of a chart's time is the first one's start-up of Java2D, fonts and the SVG writer,
        // which a second thread would only wait for; the overlays run beside it
        return List.of(pool.submit(() -> {
            save(chart("ROC (" + r.dataset() + ")", "false positive rate", "true positive rate",
                    String.format(Locale.ROOT, "AUROC %.4f", r.pixel().auroc()), fpr, tpr), out.resolve("roc"));
            save(chart("PR (" + r.dataset() + ")", "recall", "precision",
                    String.format(Locale.ROOT, "AP %.4f", r.pixel().ap()), rec, prec), out.resolve("pr"));
            return null;
        }));
    }

    private static final int CHART_WIDTH = 640;
    private static final int CHART_HEIGHT = 480;
    /** How far (in pixels of the chart) a dropped curve point may lie from the drawn line: far below one pixel. */
    static final double CHART_TOLERANCE_PX = 0.25;

    private static XYChart chart(String title, String x, String y, String series, double[] xs, double[] ys) {
        XYChart c = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        // the drawing cost of a chart grows with its points (PNG and SVG both draw one segment per point): only the
        // points a viewer can tell apart are drawn; curve.csv keeps them all
        int[] keep = visible(xs, ys, CHART_WIDTH, CHART_HEIGHT, CHART_TOLERANCE_PX);
        double[] kx = new double[keep.length];
        double[] ky = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            kx[i] = xs[keep[i]];
            ky[i] = ys[keep[i]];
        }
        c.addSeries(series, kx, ky).setMarker(SeriesMarkers.NONE);
        return c;
    }

    /**
     * The indices of the points of a polyline over the unit square that stay when it is drawn {@code w} x {@code h}
     * pixels large and every point closer than {@code tolPx} pixels to the line through its kept neighbours is dropped
     * (Douglas and Peucker, 1973; the first and last points always stay). The scale takes the whole chart as the plot
     * area, so a pixel of the real plot is larger and the drop is more cautious than {@code tolPx} says.
     */
    static int[] visible(double[] xs, double[] ys, int w, int h, double tolPx) {
        int n = xs.length;
        if (n <= 2) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[n - 1] = true;
        int[] stack = new int[2 * n];
        int top = 0;
        stack[top++] = 0;
        stack[top++] = n - 1;
        double tol2 = tolPx * tolPx;
        while (top > 0) {
            int b = stack[--top];
            int a = stack[--top];
            double ax = xs[a] * w;
            double ay = ys[a] * h;
            double dx = xs[b] * w - ax;
            double dy = ys[b] * h - ay;
            double len2 = dx * dx + dy * dy;
            int far = -1;
            double farD2 = tol2;
            for (int i = a + 1; i < b; i++) {
                double px = xs[i] * w - ax;
                double py = ys[i] * h - ay;
                double d2;
                if (len2 == 0) {
                    d2 = px * px + py * py;
                } else {
                    double t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2)); // distance to the segment
                    double ex = px - t * dx;
                    double ey = py - t * dy;
                    d2 = ex * ex + ey * ey;
                }
                if (d2 > farD2) {
                    farD2 = d2;
                    far = i;
                }
            }
            if (far >= 0) {
                keep[far] = true;
                stack[top++] = a;
                stack[top++] = far;
                stack[top++] = far;
                stack[top++] = b;
            }
        }
        int k = 0;
        for (boolean x : keep) {
            k += x ? 1 : 0;
        }
        int[] out = new int[k];
        for (int i = 0, j = 0; i < n; i++) {
            if (keep[i]) {
                out[j++] = i;
            }
        }
        return out;
    }

    /**
     * Saves a chart as {@code base.png} (drawn by XChart, encoded by our PNG encoder: ImageIO's PNG writer took
     * longer than the drawing) and {@code base.svg}, each written atomically.
     */
    public static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> c, Path base) throws IOException {
        java.awt.image.BufferedImage img = BitmapEncoder.getBufferedImage(c);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >>> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >>> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        String name = base.getFileName().toString();
        Images.writePng(base.resolveSibling(name + ".png"), new RgbImage(w, h, rgb), Images.DEFAULT_PNG_LEVEL,
                Map.of());
        AtomicFiles.write(base.resolveSibling(name + ".svg"), out -> VectorGraphicsEncoder.saveVectorGraphic(c, out,
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }

    /**
     * Starts drawing the overlays of the worst and best frames by their own AP on {@code pool}, one task each (null
     * for a frame that cannot be overlaid): image, red score heat, green anomaly outline; at most
     * {@link #OVERLAY_WIDTH} pixels wide (a frame wider is reduced by a whole factor: each overlay pixel averages its
     * block, and is green when the outline passes through the block).
     */
    private static List<Future<String>> overlays(List<EvalResult.FrameScore> perFrame, Benchmark b,
            List<Frame> frames, List<Path> scoreFiles, Path out, ExecutorService pool) {
        List<Integer> defined = new ArrayList<>();
        for (int i = 0; i < perFrame.size(); i++) {
            if (Double.isFinite(perFrame.get(i).ap())) {
                defined.add(i);
            }
        }
        defined.sort(Comparator.comparingDouble(i -> perFrame.get(i).ap()));
        List<Integer> pick = new ArrayList<>();
        for (int k = 0; k < Math.min(OVERLAYS, defined.size()); k++) {
            pick.add(defined.get(k));
        }
        for (int k = Math.max(OVERLAYS, defined.size() - OVERLAYS); k < defined.size(); k++) {
            pick.add(defined.get(k));
        }
        List<Future<String>> tasks = new ArrayList<>();
        for (int i : pick) {
            tasks.add(pool.submit(() -> {
                Frame f = frames.get(i);
                Target t = b.target(f);
                ScoreMap s = ScoreFiles.read(scoreFiles.get(i));
                RgbImage img = Images.readRgb(f.image());
                if (img.width() != t.width() || img.height() != t.height()) {
                    return null; // an image at another resolution than its label cannot be overlaid pixel for pixel
                }
                String name = "overlay_" + f.id().replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
                Images.writePng(out.resolve(name), overlay(img, s, t), Images.DEFAULT_PNG_LEVEL, Map.of());
                return name + "|" + f.id() + "|" + fmt(perFrame.get(i).ap());
            }));
        }
        return tasks;
    }

    static RgbImage overlay(RgbImage img, ScoreMap s, Target t) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : s.values()) { // finite: ScoreFiles refuses anything else
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        float span = hi > lo ? hi - lo : 1f;
        float scale = 255f / span;
        int w = img.width();
        int h = img.height();
        int k = (w + OVERLAY_WIDTH - 1) / OVERLAY_WIDTH; // the reduction factor: 1 up to OVERLAY_WIDTH pixels
        int ow = (w + k - 1) / k;
        int oh = (h + k - 1) / k;
        RgbImage o = RgbImage.blank(ow, oh);
        byte[] tv = t.values();
        float[] sv = s.values();
        byte[] px = img.data();
        byte[] out = o.data();
        // one output row at a time, its blocks' sums kept per column (loop bounds and offsets computed once: this
        // runs with the quick compiler only)
        int[] sr = new int[ow];
        int[] sg = new int[ow];
        int[] sb = new int[ow];
        int[] count = new int[ow];
        boolean[] edge = new boolean[ow];
        for (int oy = 0; oy < oh; oy++) {
            java.util.Arrays.fill(sr, 0);
            java.util.Arrays.fill(sg, 0);
            java.util.Arrays.fill(sb, 0);
            java.util.Arrays.fill(count, 0);
            java.util.Arrays.fill(edge, false);
            int yEnd = Math.min(h, oy * k + k);
            for (int y = oy * k; y < yEnd; y++) {
                int row = y * w;
                for (int ox = 0, x = 0; ox < ow; ox++) {
                    int xEnd = Math.min(w, x + k);
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (; x < xEnd; x++) {
                        int i = row + x;
                        int heat = (int) ((sv[i] - lo) * scale + 0.5f); // 0..255, rounded (a picture, not a metric)
                        r += ((px[3 * i] & 0xff) + heat) / 2;
                        g += (px[3 * i + 1] & 0xff) / 2;
                        b += (px[3 * i + 2] & 0xff) / 2;
                        if (tv[i] == 1 && !edge[ox]) {
                            edge[ox] = x == 0 || y == 0 || x == w - 1 || y == h - 1 || tv[i - 1] != 1 || tv[i + 1] != 1
                                    || tv[i - w] != 1 || tv[i + w] != 1;
                        }
                    }
                    sr[ox] += r;
                    sg[ox] += g;
                    sb[ox] += b;
                    count[ox] += xEnd - ox * k;
                }
            }
            for (int ox = 0; ox < ow; ox++) {
                int at = 3 * (oy * ow + ox);
                if (edge[ox]) {
                    out[at] = 0;
                    out[at + 1] = (byte) 0xff;
                    out[at + 2] = 0;
                } else {
                    int c = count[ox];
                    out[at] = (byte) (sr[ox] / c);
                    out[at + 1] = (byte) (sg[ox] / c);
                    out[at + 2] = (byte) (sb[ox] / c);
                }
            }
        }
        return o;
    }

    private static String html(EvalResult r, String md, List<String> overlays) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(esc(r.title())).append("</title></head><body>\n<pre>").append(esc(md)).append("</pre>\n");
        if (r.pixel().defined()) {
            sb.append("<img src=\"pr.svg\" alt=\"PR curve\"> <img src=\"roc.svg\" alt=\"ROC curve\">\n");
        }
        sb.append("<h2>Worst and best frames (by their own AP)</h2>\n");
        for (String o : overlays) {
            String[] p = o.split("\\|");
            sb.append("<figure><img src=\"").append(esc(p[0])).append("\" width=\"640\"><figcaption>")
                    .append(esc(p[1])).append(": AP ").append(p[2]).append("</figcaption></figure>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
