package io.roadneg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of an ablation, built from the finished cell folders only (so {@code --collect} gives the same bytes
 * wherever the cells ran): {@code ablation.json} (every number), {@code ablation.csv} (the same numbers, one line
 * per row, metric and benchmark), {@code ablation.md} and {@code report.html} (the same tables, cell for cell, the
 * page with the plots). Per loss x source x area x score: AP, FPR95 and AUROC on each benchmark and their mean over
 * the benchmarks, closed-set mIoU, each as the mean and sample standard deviation over the seeds; and the paired
 * difference to the reference source per seed with its interval ({@link PairedDifference}).
 */
final class AblationReport {
    /** Metrics per benchmark, in report order. */
    static final List<String> METRICS = List.of("ap", "fpr95", "auroc");
    /** The benchmark key of the mean over the grid's benchmarks. */
    static final String MEAN = "mean";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One report row: a loss, a source, a paste area control and a score, over the seeds. */
    record Row(String loss, String source, String area, String score) {
        String label() {
            return loss + " " + source + " " + area + " " + score;
        }

        List<String> cells() {
            return List.of(loss, source, area, score);
        }
    }

    /** A row's values: per seed, per benchmark (and {@link #MEAN}) and metric, plus mIoU. */
    record Stats(List<Long> seeds, List<Double> miou, Map<String, Map<String, List<Double>>> values) {
        List<Double> of(String benchmark, String metric) {
            return values.get(benchmark).get(metric);
        }

        /** The value of a seed, NaN when that seed did not finish. */
        double at(long seed, String benchmark, String metric) {
            int i = seeds.indexOf(seed);
            return i < 0 ? Double.NaN : "miou".equals(metric) ? miou.get(i) : of(benchmark, metric).get(i);
        }
    }

    /** A table as every format shows it: the same strings cell for cell. */
    record Table(String id, String title, String note, List<String> header, List<List<String>> rows) {
    }

    private final Ablation ablation;
    private final AblationGrid grid;

    AblationReport(Ablation ablation) {
        this.ablation = ablation;
        this.grid = ablation.grid();
    }

    /** Writes the four report files into {@code out}; returns the Markdown. */
    String write(Path out) {
        Map<Row, Stats> stats = new LinkedHashMap<>();
        for (Row r : rows()) {
            stats.put(r, stats(r));
        }
        Map<Row, Map<String, Map<String, PairedDifference>>> diffs = differences(stats);
        List<Ablation.Cell> failed = new ArrayList<>();
        List<Ablation.Cell> pending = new ArrayList<>();
        for (Ablation.Cell c : ablation.cells()) {
            if (!ablation.isDone(c)) {
                (Files.isRegularFile(c.dir().resolve(Ablation.FAILED)) ? failed : pending).add(c);
            }
        }
        Map<Row, ObjectNode> negatives = negatives();
        List<Table> tables = tables(stats, diffs, failed);
        tables.add(tables.size() - (failed.isEmpty() ? 0 : 1), negativesTable(negatives));
        String md = markdown(tables, pending);
        ObjectNode js = json(stats, diffs, failed, pending);
        ArrayNode negs = js.putArray("negatives");
        negatives.forEach((r, n) -> negs.addObject().put("loss", r.loss()).put("source", r.source())
                .put("area", r.area()).setAll(n));
        writeJson(out.resolve("ablation.json"), js);
        AtomicFiles.write(out.resolve("ablation.csv"), (csv(stats, diffs) + negativesCsv(negatives))
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("ablation.md"), md.getBytes(StandardCharsets.UTF_8));
        List<AblationPlots.Plot> plots = new ArrayList<>(AblationPlots.write(this, stats, grid, out));
        plots.addAll(previews(negatives, out));
        AtomicFiles.write(out.resolve("report.html"), html(tables, pending, plots)
                .getBytes(StandardCharsets.UTF_8));
        return md;
    }

    /** The rows: losses, then sources, then areas, then scores, each in grid order. */
    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String score : grid.baseScores()) {
            rows.add(new Row(AblationGrid.BASE, "none", Ablation.NO_AREA, score));
        }
        for (String loss : grid.losses()) {
            for (String source : grid.sources()) {
                for (String area : ablation.areasOf(source)) {
                    for (String score : grid.scoresOf(loss)) {
                        rows.add(new Row(loss, source, area, score));
                    }
                }
            }
        }
        return rows;
    }

    /** The finished cells of a row, in the grid's seed order. */
    List<Ablation.Cell> finished(Row r) {
        return ablation.cells().stream().filter(c -> c.loss().equals(r.loss()) && c.source().equals(r.source())
                && c.area().equals(r.area()) && ablation.isDone(c)).toList();
    }

    Stats stats(Row r) {
        List<Long> seeds = new ArrayList<>();
        List<Double> miou = new ArrayList<>();
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        for (String b : grid.benchmarks()) {
            values.put(b, series());
        }
        values.put(MEAN, series());
        for (Ablation.Cell c : finished(r)) {
            seeds.add(c.seed());
            miou.add(lastMiou(ablation.modelOf(c)));
            for (String m : METRICS) {
                List<Double> perBench = new ArrayList<>();
                for (String b : grid.benchmarks()) {
                    double v = num(pixel(c, b, r.score()), m);
                    values.get(b).get(m).add(v);
                    perBench.add(v);
                }
                values.get(MEAN).get(m).add(mean(perBench));
            }
        }
        return new Stats(List.copyOf(seeds), miou, values);
    }

    private static Map<String, List<Double>> series() {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        METRICS.forEach(k -> m.put(k, new ArrayList<>()));
        return m;
    }

    /**
     * Per row other than the reference's own, per benchmark (and the mean) and metric: the paired difference to the
     * reference source's row of the same loss, area and score over the seeds both finished (the reference
     * {@code none} has one area, {@code -}, and pairs with every area).
     */
    private Map<Row, Map<String, Map<String, PairedDifference>>> differences(Map<Row, Stats> stats) {
        Map<Row, Map<String, Map<String, PairedDifference>>> out = new LinkedHashMap<>();
        String ref = grid.effectiveReference();
        for (Row r : stats.keySet()) {
            if (r.source().equals(ref) || r.loss().equals(AblationGrid.BASE)) {
                continue; // the base's rows have no fine-tune to pair with the reference
            }
            Row rr = new Row(r.loss(), ref, ablation.areasOf(ref).contains(r.area()) ? r.area()
                    : ablation.areasOf(ref).get(0), r.score());
            Stats a = stats.get(r);
            Stats b = stats.get(rr);
            Map<String, Map<String, PairedDifference>> byBench = new LinkedHashMap<>();
            for (String bench : a.values().keySet()) {
                Map<String, PairedDifference> byMetric = new LinkedHashMap<>();
                for (String m : METRICS) {
                    byMetric.put(m, paired(a, b, bench, m, r.label() + " " + bench + " " + m));
                }
                byBench.put(bench, byMetric);
            }
            byBench.get(MEAN).put("miou", paired(a, b, MEAN, "miou", r.label() + " miou"));
            out.put(r, byBench);
        }
        return out;
    }

    private static PairedDifference paired(Stats a, Stats b, String bench, String metric, String key) {
        List<Double> d = new ArrayList<>();
        for (long s : a.seeds()) {
            double x = a.at(s, bench, metric) - b.at(s, bench, metric);
            if (Double.isFinite(x)) {
                d.add(x);
            }
        }
        return PairedDifference.of(d, key);
    }

    private List<Table> tables(Map<Row, Stats> stats, Map<Row, Map<String, Map<String, PairedDifference>>> diffs,
            List<Ablation.Cell> failed) {
        List<String> key = List.of("loss", "source", "area", "score", "seeds");
        List<Table> t = new ArrayList<>();
        List<List<String>> mean = new ArrayList<>();
        stats.forEach((r, s) -> mean.add(row(r, s, List.of(meanSd(s.miou()), meanSd(s.of(MEAN, "ap")),
                perSeed(s.of(MEAN, "ap")), meanSd(s.of(MEAN, "fpr95")), meanSd(s.of(MEAN, "auroc"))))));
        t.add(new Table("mean", "Mean over benchmarks", "AP, FPR95 and AUROC averaged over the grid's benchmarks "
                + "per seed, then mean ± sample sd over the seeds; mIoU is closed-set on the validation split at the "
                + "run's last epoch (– where the run validated on no frames).", concat(key, List.of("mIoU",
                "mean AP", "mean AP per seed", "mean FPR95", "mean AUROC")), mean));
        for (String b : grid.benchmarks()) {
            List<List<String>> rows = new ArrayList<>();
            stats.forEach((r, s) -> rows.add(row(r, s, List.of(meanSd(s.of(b, "ap")), perSeed(s.of(b, "ap")),
                    meanSd(s.of(b, "fpr95")), meanSd(s.of(b, "auroc"))))));
            t.add(new Table("benchmark-" + b, b, "Pixel-level, mean ± sample sd over the seeds.",
                    concat(key, List.of("AP", "AP per seed", "FPR95", "AUROC")), rows));
        }
        List<List<String>> d = new ArrayList<>();
        diffs.forEach((r, byBench) -> {
            for (String m : List.of("ap", "fpr95", "auroc", "miou")) {
                PairedDifference p = byBench.get(MEAN).get(m);
                List<String> row = new ArrayList<>(r.cells());
                row.addAll(List.of(m.equals("miou") ? "mIoU" : "mean " + m.toUpperCase(Locale.ROOT),
                        Integer.toString(p.values().size()), perSeed(p.values()), fmt(p.mean()), interval(p),
                        p.method(), p.values().size() < 2 ? "no interval" : p.crossesZero() ? "crosses 0" : ""));
                d.add(row);
            }
        });
        t.add(new Table("differences", "Paired difference to " + grid.effectiveReference(), "Per seed, this row "
                + "minus the " + grid.effectiveReference() + " row of the same loss, area and score, over the seeds "
                + "both finished. Below " + PairedDifference.BOOTSTRAP_FROM + " seeds the interval is the exact "
                + "sign-test interval of the median difference (smallest to largest difference, coverage "
                + "1 − 2^(1−n): 75 % for three seeds, with the sign test's p in ablation.json); from "
                + PairedDifference.BOOTSTRAP_FROM + " seeds a 95 % percentile bootstrap of the mean difference ("
                + PairedDifference.RESAMPLES + " resamples, seeded by the row). Flagged where the interval holds 0.",
                List.of("loss", "source", "area", "score", "metric", "seeds", "difference per seed", "mean",
                        "interval", "method", "flag"), d));
        if (!failed.isEmpty()) {
            List<List<String>> f = new ArrayList<>();
            failed.forEach(c -> f.add(List.of(c.id(), reason(c))));
            t.add(new Table("failed", "Failed cells", "Each with the reason its failed.json gives.",
                    List.of("cell", "reason"), f));
        }
        return t;
    }

    /**
     * Per loss, source (other than none) and area: the negatives the finished cells drew
     * ({@link NegativeSample}), pooled over the seeds, with the cells they came from.
     */
    private Map<Row, ObjectNode> negatives() {
        Map<Row, ObjectNode> m = new LinkedHashMap<>();
        for (Row r : rows()) {
            Row key = new Row(r.loss(), r.source(), r.area(), "");
            if (r.source().equals("none") || m.containsKey(key)) {
                continue;
            }
            List<JsonNode> trees = new ArrayList<>();
            ObjectNode n = JSON.createObjectNode();
            ArrayNode ids = n.putArray("cells");
            for (Ablation.Cell c : finished(r)) {
                Path f = c.dir().resolve(Ablation.NEGATIVES).resolve(NegativeSample.FILE);
                if (Files.isRegularFile(f)) {
                    trees.add(readJson(f));
                    ids.add(c.id());
                }
            }
            n.set("summary", NegativeSample.summary(trees));
            m.put(key, n);
        }
        return m;
    }

    private static Table negativesTable(Map<Row, ObjectNode> negatives) {
        List<List<String>> rows = new ArrayList<>();
        negatives.forEach((r, n) -> {
            JsonNode s = n.get("summary");
            rows.add(List.of(r.loss(), r.source(), r.area(), s.path("samples").asText() + " (" + n.get("cells")
                    .size() + " cells)", fmt(dbl(s, "objects_mean")) + " [" + count(s, "objects_min") + "–"
                    + count(s, "objects_max") + "]", pct(dbl(s, "area_mean")), pct(dbl(s, "area_p10")) + " / "
                    + pct(dbl(s, "area_p50")) + " / " + pct(dbl(s, "area_p90")), pct(dbl(s, "area_per_object_mean")),
                    rgb(s.path("rgb_mean")), rgb(s.path("rgb_sd"))));
        });
        return new Table("negatives", "Negatives per source", "Measured on each finished cell's own draws: the "
                + "first " + Ablation.NEGATIVE_SAMPLES + " training samples of its run that carry pasted pixels, as the "
                + "run pastes them (gen finetune --sample-negatives), pooled over the seeds. Pasted area in % of the "
                + "frame (mean; 10th / 50th / 90th percentile; per object); colour of the pasted pixels, 0–255.",
                List.of("loss", "source", "area", "samples", "objects per image, mean [min–max]", "pasted area %",
                        "p10 / p50 / p90 %", "per object %", "pasted RGB mean", "pasted RGB sd"), rows);
    }

    private static String negativesCsv(Map<Row, ObjectNode> negatives) {
        StringBuilder c = new StringBuilder();
        negatives.forEach((r, n) -> n.get("summary").fields().forEachRemaining(e -> {
            if (e.getKey().equals("samples")) {
                return;
            }
            List<String> v = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(x -> v.add(x.isNumber() ? raw(x.asDouble()) : ""));
            } else {
                v.add(e.getValue().isNumber() ? raw(e.getValue().asDouble()) : "");
            }
            c.append(r.loss()).append(',').append(r.source()).append(',').append(r.area()).append(",,negatives,")
                    .append(e.getKey()).append(',').append(n.get("summary").path("samples").asText()).append(',')
                    .append(v.size() == 1 ? v.get(0) : "").append(",,").append(v.size() == 1 ? "" : String.join(" ", v))
                    .append(",,,,,,,\n");
        }));
        return c.toString();
    }

    /** Copies each row's first finished cell's preview sheet into the plot folder. */
    private static List<AblationPlots.Plot> previews(Map<Row, ObjectNode> negatives, Path out) {
        List<AblationPlots.Plot> p = new ArrayList<>();
        negatives.forEach((r, n) -> {
            if (n.get("cells").isEmpty()) {
                return;
            }
            String id = n.get("cells").get(0).asText();
            Path src = out.resolve("cells").resolve(id).resolve(Ablation.NEGATIVES).resolve(NegativeSample.PREVIEW_FILE);
            if (!Files.isRegularFile(src)) {
                return;
            }
            String name = "negatives-" + fileTag(r.loss() + "-" + r.source() + "-" + r.area());
            try {
                AtomicFiles.write(out.resolve(AblationPlots.DIR).resolve(name + ".png"), Files.readAllBytes(src));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            p.add(new AblationPlots.Plot(name, "Negatives of " + id + " (" + r.source() + ", area " + r.area()
                    + "): its first " + NegativeSample.PREVIEW + " samples with pasted pixels, tinted and outlined",
                    true));
        });
        return p;
    }

    private static double dbl(JsonNode s, String k) {
        return s.path(k).isNumber() ? s.path(k).asDouble() : Double.NaN;
    }

    private static String count(JsonNode s, String k) {
        return s.path(k).isNumber() ? Integer.toString(s.path(k).asInt()) : "–";
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : "–";
    }

    private static String rgb(JsonNode a) {
        List<String> v = new ArrayList<>();
        a.forEach(x -> v.add(x.isNumber() ? String.format(Locale.ROOT, "%.0f", x.asDouble()) : "–"));
        return v.isEmpty() ? "–" : String.join(", ", v);
    }

    private static List<String> row(Row r, Stats s, List<String> values) {
        List<String> row = new ArrayList<>(r.cells());
        row.add(Integer.toString(s.seeds().size()));
        row.addAll(values);
        return row;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private String header() {
        return String.format(Locale.ROOT, "Base `%s`, profile %s, seeds %s, overrides %s, reference source %s.",
                grid.base(), grid.effectiveProfile(), grid.seeds(), grid.set().isEmpty() ? "none" : grid.set(),
                grid.effectiveReference());
    }

    private String markdown(List<Table> tables, List<Ablation.Cell> pending) {
        StringBuilder md = new StringBuilder("# Ablation\n\n").append(header()).append("\n\n");
        for (Table t : tables) {
            md.append("## ").append(t.title()).append("\n\n").append(t.note()).append("\n\n");
            md.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
            t.header().forEach(h -> md.append("---|"));
            md.append('\n');
            t.rows().forEach(r -> md.append("| ").append(String.join(" | ", r)).append(" |\n"));
            md.append('\n');
        }
        if (!pending.isEmpty()) {
            md.append("Not finished: ").append(String.join(", ", pending.stream().map(Ablation.Cell::id).toList()))
                    .append(".\n");
        }
        return md.toString();
    }

    private String html(List<Table> tables, List<Ablation.Cell> pending, List<AblationPlots.Plot> plots) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Ablation"
                + "</title>\n<style>table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 6px}"
                + "</style></head><body>\n<h1>Ablation</h1>\n<p>").append(esc(header())).append("</p>\n");
        for (Table t : tables) {
            h.append("<h2 id=\"").append(esc(t.id())).append("\">").append(esc(t.title())).append("</h2>\n<p>")
                    .append(esc(t.note())).append("</p>\n<table>\n<tr>");
            t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr>\n");
            for (List<String> r : t.rows()) {
                h.append("<tr>");
                r.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        if (!pending.isEmpty()) {
            h.append("<p>Not finished: ").append(esc(String.join(", ", pending.stream().map(Ablation.Cell::id)
                    .toList()))).append(".</p>\n");
        }
        h.append("<h2 id=\"plots\">Plots</h2>\n");
        for (AblationPlots.Plot p : plots) {
            String file = AblationPlots.DIR + "/" + esc(p.name());
            h.append("<figure><img src=\"").append(file).append(p.pngOnly() ? ".png" : ".svg").append("\" alt=\"")
                    .append(esc(p.caption())).append("\"><figcaption>").append(esc(p.caption()));
            if (!p.pngOnly()) {
                h.append(" (<a href=\"").append(file).append(".png\">PNG</a>)");
            }
            h.append("</figcaption></figure>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** A name made safe for a file name: anything but letters, digits, dot and dash becomes an underscore. */
    static String fileTag(String s) {
        return s.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    /**
     * One line per row, benchmark (or {@code mean}) and metric: the seeds, mean, sd and per-seed values, then the
     * paired difference to the reference when the row has one.
     */
    private static String csv(Map<Row, Stats> stats, Map<Row, Map<String, Map<String, PairedDifference>>> diffs) {
        StringBuilder c = new StringBuilder("loss,source,area,score,benchmark,metric,seeds,mean,sd,per_seed,"
                + "diff_mean,diff_per_seed,diff_low,diff_high,diff_level,diff_method,diff_crosses_zero\n");
        stats.forEach((r, s) -> {
            Map<String, Map<String, PairedDifference>> d = diffs.get(r);
            for (String b : s.values().keySet()) {
                List<String> metrics = new ArrayList<>(METRICS);
                if (b.equals(MEAN)) {
                    metrics.add("miou");
                }
                for (String m : metrics) {
                    List<Double> v = m.equals("miou") ? s.miou() : s.of(b, m);
                    c.append(String.join(",", r.cells())).append(',').append(b).append(',').append(m).append(',')
                            .append(s.seeds().stream().map(String::valueOf).reduce((x, y) -> x + " " + y).orElse(""))
                            .append(',').append(raw(mean(v))).append(',').append(raw(sd(v))).append(',')
                            .append(rawList(v));
                    PairedDifference p = d == null ? null : d.get(b).get(m);
                    if (p == null) {
                        c.append(",,,,,,,\n");
                    } else {
                        c.append(',').append(raw(p.mean())).append(',').append(rawList(p.values())).append(',')
                                .append(raw(p.low())).append(',').append(raw(p.high())).append(',')
                                .append(raw(p.level())).append(',').append(p.method()).append(',')
                                .append(p.values().size() >= 2 && p.crossesZero()).append('\n');
                    }
                }
            }
        });
        return c.toString();
    }

    private ObjectNode json(Map<Row, Stats> stats, Map<Row, Map<String, Map<String, PairedDifference>>> diffs,
            List<Ablation.Cell> failed, List<Ablation.Cell> pending) {
        ObjectNode rep = JSON.createObjectNode();
        rep.put("version", 2);
        rep.set("grid", JSON.valueToTree(grid));
        rep.put("reference", grid.effectiveReference());
        ArrayNode rows = rep.putArray("rows");
        stats.forEach((r, s) -> {
            ObjectNode n = rows.addObject();
            n.put("loss", r.loss());
            n.put("source", r.source());
            n.put("area", r.area());
            n.put("score", r.score());
            s.seeds().forEach(n.putArray("seeds")::add);
            putSeries(n.putObject("miou"), s.miou());
            ObjectNode bn = n.putObject("benchmarks");
            s.values().forEach((b, byMetric) -> {
                ObjectNode x = bn.putObject(b);
                byMetric.forEach((m, v) -> putSeries(x.putObject(m), v));
            });
            Map<String, Map<String, PairedDifference>> d = diffs.get(r);
            if (d != null) {
                ObjectNode dn = n.putObject("difference");
                d.forEach((b, byMetric) -> {
                    ObjectNode x = dn.putObject(b);
                    byMetric.forEach((m, p) -> {
                        ObjectNode pn = x.putObject(m);
                        ArrayNode a = pn.putArray("values");
                        p.values().forEach(v -> addNum(a, v));
                        addNum(pn, "mean", p.mean());
                        pn.put("method", p.method());
                        addNum(pn, "low", p.low());
                        addNum(pn, "high", p.high());
                        addNum(pn, "level", p.level());
                        addNum(pn, "sign_test_p", p.signTestP());
                        pn.put("crosses_zero", p.values().size() >= 2 && p.crossesZero());
                    });
                });
            }
        });
        ArrayNode f = rep.putArray("failed");
        failed.forEach(c -> f.addObject().put("cell", c.id()).put("reason", reason(c)));
        ArrayNode p = rep.putArray("pending");
        pending.forEach(c -> p.add(c.id()));
        return rep;
    }

    private static String reason(Ablation.Cell c) {
        return readJson(c.dir().resolve(Ablation.FAILED)).path("reason").asText();
    }

    static JsonNode pixel(Ablation.Cell c, String benchmark, String score) {
        return readJson(c.eval(benchmark, score).resolve("metrics.json")).path("pixel");
    }

    private static double num(JsonNode n, String field) {
        return n.path(field).isNumber() ? n.path(field).asDouble() : Double.NaN;
    }

    /** Closed-set mIoU of the run's last validation line; undefined when the run validated on no frames. */
    static double lastMiou(Path run) {
        Path log = run.resolve("validation.jsonl");
        try {
            if (!Files.isRegularFile(log)) {
                return Double.NaN;
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Double.NaN : num(JSON.readTree(lines.get(lines.size() - 1)), "miou");
        } catch (IOException e) {
            throw new InputException(log, null, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void putSeries(ObjectNode n, List<Double> values) {
        ArrayNode arr = n.putArray("values");
        values.forEach(x -> addNum(arr, x));
        addNum(n, "mean", mean(values));
        addNum(n, "sd", sd(values));
    }

    private static void addNum(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    private static void addNum(ObjectNode n, String k, double v) {
        if (Double.isFinite(v)) {
            n.put(k, v);
        } else {
            n.putNull(k);
        }
    }

    /** The mean; NaN for no values or when one is undefined. */
    static double mean(List<Double> v) {
        return v.isEmpty() ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    }

    /** Sample standard deviation (n - 1); undefined below two values. */
    static double sd(List<Double> v) {
        if (v.size() < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1));
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "–";
    }

    private static String raw(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static String rawList(List<Double> v) {
        return v.stream().map(AblationReport::raw).reduce((a, b) -> a + " " + b).orElse("");
    }

    private static String meanSd(List<Double> v) {
        return v.size() < 2 ? fmt(mean(v)) : fmt(mean(v)) + " ± " + fmt(sd(v));
    }

    private static String perSeed(List<Double> v) {
        return v.stream().map(AblationReport::fmt).reduce((a, b) -> a + ", " + b).orElse("–");
    }

    private static String interval(PairedDifference p) {
        return Double.isFinite(p.low()) ? String.format(Locale.ROOT, "[%s, %s] (%.1f %%)", fmt(p.low()),
                fmt(p.high()), 100 * p.level()) : "–";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static JsonNode readJson(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new InputException(p, null, null, "cannot read: " + e.getMessage(), e);
        }
    }

    static void writeJson(Path p, JsonNode n) {
        try {
            AtomicFiles.write(p, JSON.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
