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
    /** A cell's folder of negatives drawn as its run draws them ({@code gen finetune --sample-negatives}). */
    static final String NEGATIVES = "negatives";
    /** Samples with negatives measured per cell. */
    static final int NEGATIVE_SAMPLES = 16;
    /** The area control of a cell that pastes nothing. */
    static final String NO_AREA = "-";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One step of a cell: a {@code gen} command line. */
    record Step(String name, List<String> args) {
    }

    /** One cell: its id, folder, identity and command lines. */
    record Cell(String id, String loss, String source, String area, long seed, Path dir, List<Step> steps) {
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
        return AblationReport.fileTag(loss + "-" + source + "-s" + seed);
    }

    private List<Cell> enumerate() {
        List<Cell> list = new ArrayList<>();
        for (long seed : grid.seeds()) {
            for (String loss : grid.losses()) {
                for (String source : grid.sources()) {
                    for (String area : areasOf(source)) {
                        list.add(cell(loss, source, area, seed));
                    }
                }
            }
        }
        return List.copyOf(list);
    }

    /**
     * A cell and its command lines: the negatives sample (for a source that pastes), the fine-tune, then a score and
     * an eval per benchmark and score.
     */
    private Cell cell(String loss, String source, String area, long seed) {
        String id = cellId(loss, source + (area.equals(AblationGrid.MATCHED) ? "-" + area : ""), seed);
        Path dir = out.resolve("cells").resolve(id);
        List<Step> steps = new ArrayList<>();
        List<String> ft = new ArrayList<>(List.of("finetune", "-q", "--resume", "--loss", loss));
        if (!source.equals(AblationGrid.RECIPE)) {
            ft.addAll(List.of("--negatives", source));
        }
        ft.addAll(List.of("--model", path(grid.base()).toString(), "--seed", Long.toString(seed), "--profile",
                grid.effectiveProfile(), "--sample-data", path(grid.sampleData()).toString()));
        if (grid.cityscapesRoot() != null) {
            ft.addAll(List.of("--cityscapes-root", path(grid.cityscapesRoot()).toString()));
        }
        grid.set().forEach((k, v) -> ft.addAll(List.of("--set", k + "=" + v)));
        if (area.equals(AblationGrid.MATCHED)) {
            ft.addAll(List.of("--set", "data.negatives.area=" + grid.matched().area(), "--set",
                    "data.negatives.objects=" + grid.matched().objects()));
        }
        if (!source.equals("none")) {
            List<String> neg = new ArrayList<>(ft);
            neg.remove("--resume");
            neg.addAll(List.of("--sample-negatives", Integer.toString(NEGATIVE_SAMPLES), "--out",
                    dir.resolve(NEGATIVES).toString()));
            steps.add(new Step("negatives", neg));
        }
        ft.addAll(List.of("--out", dir.resolve("run").toString()));
        steps.add(new Step("finetune", ft));
        for (String b : grid.benchmarks()) {
            for (String s : grid.scores()) {
                Path maps = dir.resolve("scores").resolve(b).resolve(s);
                steps.add(new Step("score " + b + " " + s, List.of("score", "-q", "--model",
                        dir.resolve("run").toString(), "--score", s, "--dataset", b, "--root",
                        benchmarkRoot(b).toString(), "--out", maps.toString())));
                steps.add(new Step("eval " + b + " " + s, List.of("eval", "--quiet", "--dataset", b, "--root",
                        benchmarkRoot(b).toString(), "--scores", maps.toString(), "--out",
                        dir.resolve("eval").resolve(b).resolve(s).toString())));
            }
        }
        return new Cell(id, loss, source, area, seed, dir, List.copyOf(steps));
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
        n.put("area", c.area());
        if (c.area().equals(AblationGrid.MATCHED)) {
            n.set("matched", JSON.valueToTree(grid.matched()));
        }
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
            RunFolders.refuseAnother(rec, Files.isRegularFile(rec) ? AblationReport.readJson(rec) : null, identity(c), List.of(),
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
            if (isDone(c)) {
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
                    .filter(x -> !isDone(x)).count();
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
        AblationReport.writeJson(c.dir().resolve(CELL_RECORD), identity(c));
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
            AblationReport.writeJson(c.dir().resolve(DONE), r);
        } else {
            r.put("reason", failure);
            AblationReport.writeJson(c.dir().resolve(FAILED), r);
        }
        return failure;
    }

    /** Builds the report files in the output folder from the finished cells; returns the Markdown. */
    String collect() {
        return new AblationReport(this).write(out);
    }

    /** Whether a cell finished. */
    static boolean isDone(Cell c) {
        return Files.isRegularFile(c.dir().resolve(DONE));
    }

    /**
     * The paste-area controls a source's cells are made under: one, {@code -}, for {@code none}, which pastes
     * nothing; otherwise the grid's.
     */
    List<String> areasOf(String source) {
        return source.equals("none") ? List.of(NO_AREA) : grid.area();
    }
}
