package io.roadneg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.RunFolders;
import io.roadneg.finetune.train.Recipes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Runs an {@link AblationGrid}: its cells in a stable order (seeds, then losses, then sources, each in grid order, so
 * an ablation stopped early holds whole comparisons for its first seeds),
 * every cell an ordinary {@code gen finetune} run folder with its {@code gen score} maps and {@code gen eval} reports
 * under {@code OUT/cells/<cell-id>/}, made by running those very commands in this process, so the plan printed for a
 * scheduler and what a local run does are the same command lines.
 */
final class Ablation {
    /** A cell's identity record; a cell whose identity changed is refused. */
    static final String CELL_RECORD = "cell.json";
    /** Written when every command of a cell succeeded. */
    static final String DONE = "done.json";
    /** Written when a command of a cell failed, with its reason. */
    static final String FAILED = "failed.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One step of a cell: a {@code gen} command line. */
    record Step(String name, List<String> args) {
    }

    /** One cell: its id, folder, identity and command lines. */
    record Cell(String id, String loss, String source, long seed, Path dir, List<Step> steps) {
        Path run() {
            return dir.resolve("run");
        }

        Path eval(String benchmark, String score) {
            return dir.resolve("eval").resolve(benchmark).resolve(score);
        }
    }

    private final AblationGrid grid;
    private final Path gridDir;
    private final Path out;
    private final List<Cell> cells;

    private Ablation(AblationGrid grid, Path gridDir, Path out) {
        this.grid = grid;
        this.gridDir = gridDir;
        this.out = out;
        this.cells = enumerate();
    }

    /** Loads and checks a grid file (schedule overrides included) for output folder {@code out}. */
    static Ablation load(Path gridFile, Path out) {
        AblationGrid g = Configs.bind(Configs.readTree(gridFile), AblationGrid.class, gridFile);
        for (String loss : g.losses()) {
            try {
                Recipes.load(loss, g.effectiveProfile(), null, g.set());
            } catch (InputException e) {
                throw new InputException(gridFile, "set", null, "with loss " + loss + ": " + e.getMessage(), e);
            }
        }
        Path dir = gridFile.toAbsolutePath().getParent();
        Path rel = gridFile.getParent() == null ? Path.of("") : gridFile.getParent();
        Ablation a = new Ablation(g, rel, out);
        if (!Files.exists(a.path(g.base()))) {
            throw new InputException(gridFile, "base", g.base(), "not found (resolved against " + dir + ")");
        }
        return a;
    }

    List<Cell> cells() {
        return cells;
    }

    AblationGrid grid() {
        return grid;
    }

    private Path path(String p) {
        return gridDir.resolve(p).normalize();
    }

    private Path benchmarkRoot(String b) {
        String r = grid.roots().get(b);
        return r != null ? path(r) : path(grid.sampleData()).resolve(TrainCommands.SAMPLE_BENCHMARKS.get(b));
    }

    static String cellId(String loss, String source, long seed) {
        return (loss + "-" + source + "-s" + seed).replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private List<Cell> enumerate() {
        List<Cell> list = new ArrayList<>();
        for (long seed : grid.seeds()) {
            for (String loss : grid.losses()) {
                for (String source : grid.sources()) {
                    String id = cellId(loss, source, seed);
                    Path dir = out.resolve("cells").resolve(id);
                    List<Step> steps = new ArrayList<>();
                    List<String> ft = new ArrayList<>(List.of("finetune", "-q", "--resume", "--loss", loss));
                    if (!source.equals(AblationGrid.RECIPE)) {
                        ft.addAll(List.of("--negatives", source));
                    }
                    ft.addAll(List.of("--model", path(grid.base()).toString(), "--seed", Long.toString(seed),
                            "--profile", grid.effectiveProfile(), "--sample-data", path(grid.sampleData()).toString()));
                    if (grid.cityscapesRoot() != null) {
                        ft.addAll(List.of("--cityscapes-root", path(grid.cityscapesRoot()).toString()));
                    }
                    grid.set().forEach((k, v) -> ft.addAll(List.of("--set", k + "=" + v)));
                    ft.addAll(List.of("--out", dir.resolve("run").toString()));
                    steps.add(new Step("finetune", ft));
                    for (String b : grid.benchmarks()) {
                        for (String s : grid.scores()) {
                            Path maps = dir.resolve("scores").resolve(b).resolve(s);
                            steps.add(new Step("score " + b + " " + s, List.of("score", "-q", "--model",
                                    dir.resolve("run").toString(), "--score", s, "--dataset", b, "--root",
                                    benchmarkRoot(b).toString(), "--out", maps.toString())));
                            steps.add(new Step("eval " + b + " " + s, List.of("eval", "--quiet", "--dataset", b,
                                    "--root", benchmarkRoot(b).toString(), "--scores", maps.toString(), "--out",
                                    dir.resolve("eval").resolve(b).resolve(s).toString())));
                        }
                    }
                    list.add(new Cell(id, loss, source, seed, dir, List.copyOf(steps)));
                }
            }
        }
        return List.copyOf(list);
    }

    /** What makes a cell the same cell: every setting but where its files live (in the form a re-read gives). */
    private JsonNode identity(Cell c) {
        try {
            return JSON.readTree(JSON.writeValueAsBytes(identityTree(c)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode identityTree(Cell c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("cell", c.id());
        n.put("loss", c.loss());
        n.put("source", c.source());
        n.put("seed", c.seed());
        n.put("base", grid.base());
        n.put("profile", grid.effectiveProfile());
        n.put("cityscapes_root", grid.cityscapesRoot());
        ObjectNode set = n.putObject("set");
        grid.set().forEach(set::put);
        grid.benchmarks().forEach(n.putArray("benchmarks")::add);
        grid.scores().forEach(n.putArray("scores")::add);
        return n;
    }

    /** The plan: one JSON line per cell with its folder and its command lines. */
    void plan(PrintWriter o) {
        ObjectMapper line = new ObjectMapper();
        for (Cell c : cells) {
            ObjectNode n = line.createObjectNode();
            n.put("cell", c.id());
            n.put("dir", c.dir().toString());
            var cmds = n.putArray("commands");
            for (Step s : c.steps()) {
                var a = cmds.addArray();
                a.add("gen");
                s.args().forEach(a::add);
            }
            try {
                o.println(line.writeValueAsString(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        o.flush();
    }

    /** Counts of a run. */
    record Summary(int done, int skipped, int failed) {
    }

    /**
     * Runs the cells in order. Before any cell starts, every existing cell folder is checked: without
     * {@code resume} it is refused; with it, a cell whose identity changed is refused by its record.
     */
    Summary run(boolean resume, PrintWriter o) {
        RunFolders.refuseUnknown(out, "cells");
        for (Cell c : cells) {
            Path rec = c.dir().resolve(CELL_RECORD);
            if (Files.exists(c.dir()) && !resume) {
                throw new InputException(out, "--out", out, "holds cell " + c.id() + " already: add --resume to "
                        + "continue the ablation, or use a new --out");
            }
            RunFolders.refuseAnother(rec, Files.isRegularFile(rec) ? readJson(rec) : null, identity(c), List.of(),
                    "cell " + c.id() + " was made by another grid; use a new --out or delete " + c.dir());
        }
        int done = 0;
        int skipped = 0;
        int failed = 0;
        double ranSeconds = 0;
        int ran = 0;
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            String head = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, cells.size(), c.id());
            if (Files.isRegularFile(c.dir().resolve(DONE))) {
                skipped++;
                o.println(head + ": finished before, skipped");
                o.flush();
                continue;
            }
            long t0 = System.nanoTime();
            String failure = runCell(c);
            double secs = (System.nanoTime() - t0) / 1e9;
            ranSeconds += secs;
            ran++;
            int left = (int) cells.subList(i + 1, cells.size()).stream()
                    .filter(x -> !Files.isRegularFile(x.dir().resolve(DONE))).count();
            String eta = left == 0 ? "" : String.format(Locale.ROOT, "; about %.0f s left for %d cells",
                    ranSeconds / ran * left, left);
            if (failure == null) {
                done++;
                o.printf(Locale.ROOT, "%s: done in %.1f s%s%n", head, secs, eta);
            } else {
                failed++;
                o.printf(Locale.ROOT, "%s: FAILED (%s) after %.1f s%s%n", head, failure, secs, eta);
            }
            o.flush();
        }
        return new Summary(done, skipped, failed);
    }

    /** Runs one cell's commands; returns null or the reason it failed (also written to its failed.json). */
    private String runCell(Cell c) {
        try {
            Files.createDirectories(c.dir());
            Files.deleteIfExists(c.dir().resolve(FAILED));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + c.dir() + ": " + e.getMessage(), e);
        }
        writeJson(c.dir().resolve(CELL_RECORD), identity(c));
        StringBuilder log = new StringBuilder();
        String failure = null;
        for (Step s : c.steps()) {
            CommandLine cl = Gen.commandLine();
            StringWriter so = new StringWriter();
            StringWriter se = new StringWriter();
            cl.setOut(new PrintWriter(so, true));
            cl.setErr(new PrintWriter(se, true));
            int code = cl.execute(s.args().toArray(new String[0]));
            log.append("$ gen ").append(String.join(" ", s.args())).append('\n').append(so).append(se);
            if (code != Gen.EXIT_OK) {
                String reason = se.toString().strip().lines().findFirst()
                        .orElse(so.toString().strip().lines().reduce((a, b) -> b).orElse("no message"));
                failure = s.name() + " exited with " + code + ": " + reason;
                break;
            }
        }
        AtomicFiles.write(c.dir().resolve("cell.log"), log.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode r = JSON.createObjectNode();
        r.put("cell", c.id());
        if (failure == null) {
            writeJson(c.dir().resolve(DONE), r);
        } else {
            r.put("reason", failure);
            writeJson(c.dir().resolve(FAILED), r);
        }
        return failure;
    }

    /** Builds report.json and report.md in the output folder from the finished cells; returns the Markdown. */
    String collect() {
        ObjectNode rep = JSON.createObjectNode();
        rep.put("version", 1);
        rep.set("grid", JSON.valueToTree(grid));
        var benches = rep.putArray("benchmarks");
        var failedCells = rep.putArray("failed");
        var pending = rep.putArray("pending");
        StringBuilder md = new StringBuilder("# Ablation\n\n");
        md.append(String.format(Locale.ROOT, "Base `%s`, profile %s, seeds %s, overrides %s.%n%n", grid.base(),
                grid.effectiveProfile(), grid.seeds(), grid.set().isEmpty() ? "none" : grid.set()));
        for (Cell c : cells) {
            if (Files.isRegularFile(c.dir().resolve(FAILED)) && !Files.isRegularFile(c.dir().resolve(DONE))) {
                ObjectNode f = failedCells.addObject();
                f.put("cell", c.id());
                f.put("reason", readJson(c.dir().resolve(FAILED)).path("reason").asText());
            } else if (!Files.isRegularFile(c.dir().resolve(DONE))) {
                pending.add(c.id());
            }
        }
        md.append("## Mean over benchmarks\n\nAP and FPR95 averaged over the grid's benchmarks per seed, then over "
                + "seeds; mIoU is closed-set on the validation split at the run's last epoch.\n\n"
                + "| loss | source | score | seeds | mIoU mean ± sd | mean AP, mean ± sd | mean AP per seed "
                + "| mean FPR95, mean ± sd |\n|---|---|---|---|---|---|---|---|\n");
        var means = rep.putArray("mean_over_benchmarks");
        for (Row k : rows()) {
            List<Long> seeds = new ArrayList<>();
            List<Double> miou = new ArrayList<>();
            List<Double> ap = new ArrayList<>();
            List<Double> fpr = new ArrayList<>();
            for (Cell c : finished(k)) {
                seeds.add(c.seed());
                miou.add(lastMiou(c));
                List<Double> a = new ArrayList<>();
                List<Double> f = new ArrayList<>();
                for (String b : grid.benchmarks()) {
                    JsonNode px = pixel(c, b, k.score());
                    a.add(num(px, "ap"));
                    f.add(num(px, "fpr95"));
                }
                ap.add(mean(a));
                fpr.add(mean(f));
            }
            ObjectNode row = k.json(means.addObject(), seeds);
            putSeries(row, "miou", miou);
            putSeries(row, "ap", ap);
            putSeries(row, "fpr95", fpr);
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", k.md(), seeds.size(),
                    meanSd(miou), meanSd(ap), perSeed(ap), meanSd(fpr)));
        }
        md.append('\n');
        for (String b : grid.benchmarks()) {
            ObjectNode bn = benches.addObject();
            bn.put("benchmark", b);
            var rows = bn.putArray("rows");
            md.append("## ").append(b).append("\n\n")
                    .append("| loss | source | score | seeds | AP mean ± sd | AP per seed | FPR95 mean ± sd "
                            + "| FPR95 per seed |\n|---|---|---|---|---|---|---|---|\n");
            for (Row k : rows()) {
                List<Long> seeds = new ArrayList<>();
                List<Double> ap = new ArrayList<>();
                List<Double> fpr = new ArrayList<>();
                List<Double> auroc = new ArrayList<>();
                for (Cell c : finished(k)) {
                    JsonNode px = pixel(c, b, k.score());
                    seeds.add(c.seed());
                    ap.add(num(px, "ap"));
                    fpr.add(num(px, "fpr95"));
                    auroc.add(num(px, "auroc"));
                }
                ObjectNode row = k.json(rows.addObject(), seeds);
                putSeries(row, "ap", ap);
                putSeries(row, "fpr95", fpr);
                putSeries(row, "auroc", auroc);
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", k.md(), seeds.size(),
                        meanSd(ap), perSeed(ap), meanSd(fpr), perSeed(fpr)));
            }
            md.append('\n');
        }
        if (!failedCells.isEmpty()) {
            md.append("## Failed cells\n\n");
            failedCells.forEach(f -> md.append("- ").append(f.path("cell").asText()).append(": ")
                    .append(f.path("reason").asText()).append('\n'));
            md.append('\n');
        }
        if (!pending.isEmpty()) {
            md.append("Not finished: ");
            List<String> p = new ArrayList<>();
            pending.forEach(x -> p.add(x.asText()));
            md.append(String.join(", ", p)).append(".\n");
        }
        writeJson(out.resolve("report.json"), rep);
        AtomicFiles.write(out.resolve("report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        return md.toString();
    }

    /** One report row: a loss, a source and a score, over the seeds. */
    private record Row(String loss, String source, String score) {
        ObjectNode json(ObjectNode row, List<Long> seeds) {
            row.put("loss", loss);
            row.put("source", source);
            row.put("score", score);
            seeds.forEach(row.putArray("seeds")::add);
            return row;
        }

        String md() {
            return loss + " | " + source + " | " + score;
        }
    }

    /** The report's rows: losses, then sources, then scores, each in grid order. */
    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String loss : grid.losses()) {
            for (String source : grid.sources()) {
                for (String score : grid.scores()) {
                    rows.add(new Row(loss, source, score));
                }
            }
        }
        return rows;
    }

    /** The finished cells of a row's loss and source, in the grid's seed order. */
    private List<Cell> finished(Row k) {
        return cells.stream().filter(c -> c.loss().equals(k.loss()) && c.source().equals(k.source())
                && Files.isRegularFile(c.dir().resolve(DONE))).toList();
    }

    private static JsonNode pixel(Cell c, String benchmark, String score) {
        return readJson(c.eval(benchmark, score).resolve("metrics.json")).path("pixel");
    }

    private static double num(JsonNode n, String field) {
        return n.path(field).isNumber() ? n.path(field).asDouble() : Double.NaN;
    }

    /** Closed-set mIoU of the run's last validation line; undefined when the run validated on no frames. */
    private static double lastMiou(Cell c) {
        Path log = c.run().resolve("validation.jsonl");
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

    private static void putSeries(ObjectNode row, String key, List<Double> values) {
        var arr = row.putArray(key);
        values.forEach(x -> addNum(arr, x));
        addNum(row, key + "_mean", mean(values));
        addNum(row, key + "_sd", sd(values));
    }

    private static void addNum(com.fasterxml.jackson.databind.node.ArrayNode a, double v) {
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

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "–";
    }

    private static String meanSd(List<Double> v) {
        return v.size() < 2 ? fmt(mean(v)) : fmt(mean(v)) + " ± " + fmt(sd(v));
    }

    private static String perSeed(List<Double> v) {
        return v.stream().map(Ablation::fmt).reduce((a, b) -> a + ", " + b).orElse("–");
    }

    private static JsonNode readJson(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new InputException(p, null, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void writeJson(Path p, JsonNode n) {
        try {
            AtomicFiles.write(p, JSON.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
