package io.roadneg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.Futures;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.RunFolders;
import io.roadneg.finetune.model.Devices;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.finetune.train.Trainer;
import io.roadneg.generators.OutlierSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    private final Path gridFile;
    private final Path gridDir;
    private final Path out;
    private final List<Cell> cells;

    private Ablation(AblationGrid grid, Path gridFile, Path gridDir, Path out) {
        this.grid = grid;
        this.gridFile = gridFile;
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
        Ablation a = new Ablation(g, gridFile, rel, out);
        if (!Files.exists(a.path(g.base()))) {
            throw new InputException(gridFile, "base", g.base(), "not found (resolved against " + dir + ")");
        }
        for (String source : g.sources()) {
            if (source.equals("none") || source.equals(AblationGrid.RECIPE) || AblationGrid.isFlow(source)) {
                continue;
            }
            try {
                Recipes.pasteConfigs(new TrainConfig.NegativesConfig(source, null, null, 1.0, null, null, null, null));
            } catch (InputException e) {
                throw new InputException(gridFile, "sources", source, e.getMessage(), e);
            }
        }
        for (String loss : g.losses()) {
            try {
                Trainer.checkBase(Recipes.load(loss, g.effectiveProfile(), null, g.set()), a.path(g.base()));
            } catch (InputException e) {
                throw new InputException(gridFile, "base", g.base(), "cannot start loss " + loss + ": "
                        + e.getMessage(), e);
            }
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
            if (!grid.baseScores().isEmpty()) {
                list.add(baseCell(seed));
            }
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
        if (source.equals(AblationGrid.FLOW_JOINT)) {
            ft.addAll(List.of("--negatives", AblationGrid.FLOW, "--joint"));
        } else if (!source.equals(AblationGrid.RECIPE)) {
            ft.addAll(List.of("--negatives", source));
        }
        ft.addAll(List.of("--model", path(grid.base()).toString(), "--seed", Long.toString(seed), "--profile",
                grid.effectiveProfile(), "--sample-data", path(grid.sampleData()).toString()));
        if (grid.cityscapesRoot() != null) {
            ft.addAll(List.of("--cityscapes-root", path(grid.cityscapesRoot()).toString()));
        }
        for (var r : OutlierSources.roots()) {
            String root = grid.sourceRoots().get(r.name());
            if (root != null) {
                ft.addAll(List.of(r.option(), path(root).toString()));
            }
        }
        grid.set().forEach((k, v) -> ft.addAll(List.of("--set", k + "=" + v)));
        if (area.equals(AblationGrid.MATCHED)) {
            ft.addAll(List.of("--set", "data.negatives.area=" + grid.matched().area(), "--set",
                    "data.negatives.objects=" + grid.matched().objects()));
        }
        if (!source.equals("none") && !inLoopFlow(loss, source)) {
            List<String> neg = new ArrayList<>(ft);
            neg.remove("--resume");
            neg.addAll(List.of("--sample-negatives", Integer.toString(NEGATIVE_SAMPLES), "--out",
                    dir.resolve(NEGATIVES).toString()));
            steps.add(new Step("negatives", neg));
        }
        ft.addAll(List.of("--out", dir.resolve("run").toString()));
        steps.add(new Step("finetune", ft));
        steps.addAll(scoreSteps(dir, dir.resolve("run"), loss));
        return new Cell(id, loss, source, area, seed, dir, List.copyOf(steps));
    }

    /**
     * The base's own cell of a seed: the base model scored and evaluated with {@code baseScores} (no fine-tune; the
     * same model for every seed).
     */
    private Cell baseCell(long seed) {
        String id = cellId(AblationGrid.BASE, "none", seed);
        Path dir = out.resolve("cells").resolve(id);
        return new Cell(id, AblationGrid.BASE, "none", NO_AREA, seed, dir, scoreSteps(dir, path(grid.base()),
                AblationGrid.BASE));
    }

    /** The score and eval command lines of a cell's model, per benchmark and score. */
    private List<Step> scoreSteps(Path dir, Path model, String loss) {
        List<Step> steps = new ArrayList<>();
        for (String b : grid.benchmarks()) {
            for (String s : grid.scoresOf(loss)) {
                Path maps = dir.resolve("scores").resolve(b).resolve(s);
                steps.add(new Step("score " + b + " " + s, List.of("score", "-q", "--model", model.toString(),
                        "--score", s, "--dataset", b, "--root", benchmarkRoot(b).toString(), "--out",
                        maps.toString())));
                steps.add(new Step("eval " + b + " " + s, List.of("eval", "--quiet", "--dataset", b, "--root",
                        benchmarkRoot(b).toString(), "--scores", maps.toString(), "--out",
                        dir.resolve("eval").resolve(b).resolve(s).toString())));
            }
        }
        return steps;
    }

    /** The model folder a cell scores: its fine-tune run, or the base for the base's cells. */
    Path modelOf(Cell c) {
        return c.loss().equals(AblationGrid.BASE) ? path(grid.base()) : c.run();
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
        grid.scoresOf(c.loss()).forEach(n.putArray("scores")::add);
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

    /**
     * The plan as a Slurm job-array script: task {@code i} runs cell {@code i}'s command lines, exactly as
     * {@link #plan} prints them, with {@code $GEN} (default {@code gen}) as the command; afterwards
     * {@code --collect} builds the report from the folders.
     */
    String slurm() {
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("# gen ablate --grid ").append(quote(gridFile.toString())).append(" --out ")
                .append(quote(out.toString())).append(": one array task per cell (").append(cells.size())
                .append(" cells), each running that cell's\n# command lines as gen ablate --plan prints them. Submit "
                + "with sbatch from a folder where gen is on PATH (or set GEN);\n# afterwards: gen ablate --grid "
                + "GRID --out OUT --collect. Adjust the resources below to the cluster.\n");
        b.append("#SBATCH --job-name=ablate\n#SBATCH --array=0-").append(cells.size() - 1).append('\n')
                .append("#SBATCH --gres=gpu:1\n#SBATCH --cpus-per-task=8\n#SBATCH --mem=32G\n")
                .append("#SBATCH --output=slurm-%A_%a.log\nset -euo pipefail\nGEN=\"${GEN:-gen}\"\n")
                .append("case \"${SLURM_ARRAY_TASK_ID:?run as a Slurm array task}\" in\n");
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            b.append("  ").append(i).append(") # ").append(c.id()).append('\n');
            b.append("    mkdir -p ").append(quote(c.dir().toString())).append('\n');
            for (Step st : c.steps()) {
                b.append("    \"$GEN\"");
                st.args().forEach(a -> b.append(' ').append(quote(a)));
                b.append('\n');
            }
            b.append("    ;;\n");
        }
        b.append("  *) echo \"no cell $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\nesac\n");
        return b.toString();
    }

    /** A shell word in single quotes. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Counts of a run. */
    record Summary(int done, int skipped, int failed) {
    }

    /**
     * Runs the cells in order. Before any cell starts, every existing cell folder is checked: without
     * {@code resume} it is refused; with it, a cell whose identity changed is refused by its record.
     */
    Summary run(boolean resume, PrintWriter o) {
        return run(resume, 1, null, o);
    }

    /**
     * The line said when {@code atOnce} cells of {@code threads} PyTorch threads each outnumber the {@code cores}, else
     * null. Not refused (a cell may wait on a GPU or a disk), but said: each cell is a JVM with its own libtorch (about
     * 1.4 GB resident for a sample-cpu training step), and past the cores they only share them.
     */
    static String coresNote(int atOnce, int threads, int cores) {
        return (long) atOnce * threads <= cores ? null : String.format(Locale.ROOT, "note: %d cells x %d thread%s on "
                + "%d cores: past the cores more cells at a time add memory (each its own JVM and libtorch), not speed",
                atOnce, threads, threads == 1 ? "" : "s", cores);
    }

    /**
     * Runs the cells, {@code jobs} at a time. With one job each cell runs in this process; with more, each cell runs
     * in its own JVM ({@link #cellProcess}), since libtorch's thread pool is one per process. Each cell gets
     * {@code threads} PyTorch threads, default the cores split between the jobs ({@code max(1, cores / jobs)}); the
     * same count gives the same bytes whatever {@code jobs}. Cells start in grid order; a progress line is printed as each ends,
     * with the time left estimated from the mean cell time so far over the jobs.
     */
    Summary run(boolean resume, int jobs, Integer threadsPerCell, PrintWriter o) {
        checkFolder(resume);
        int threads = threadsPerCell != null ? threadsPerCell
                : Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, jobs));
        List<Cell> todo = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            if (isDone(c)) {
                skipped++;
                o.println(head(c) + ": finished before, skipped");
            } else {
                todo.add(c);
            }
        }
        o.flush();
        if (jobs > 1 && !todo.isEmpty()) {
            o.printf(Locale.ROOT, "%d cells to run, %d at a time, %d PyTorch threads each%n", todo.size(), jobs,
                    threads);
            String note = coresNote(Math.min(jobs, todo.size()), threads, Runtime.getRuntime().availableProcessors());
            if (note != null) {
                o.println(note);
            }
            o.flush();
        }
        Progress progress = new Progress(todo.size(), jobs, o);
        if (jobs <= 1 && !todo.isEmpty()) {
            int before = Devices.threads();
            Devices.setThreads(threads);
            try {
                for (Cell c : todo) {
                    long t0 = System.nanoTime();
                    progress.ended(c, runCell(c), t0);
                }
            } finally {
                Devices.setThreads(before);
            }
        } else if (jobs > 1) {
            ExecutorService pool = Executors.newFixedThreadPool(jobs);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (Cell c : todo) {
                    fs.add(pool.submit(() -> {
                        long t0 = System.nanoTime();
                        progress.ended(c, cellProcess(c, threads), t0);
                    }));
                }
                for (Future<?> f : fs) {
                    Futures.get(f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return new Summary(progress.done, skipped, progress.failed);
    }

    private String head(Cell c) {
        return String.format(Locale.ROOT, "[%d/%d] %s", cells.indexOf(c) + 1, cells.size(), c.id());
    }

    /** Counts ended cells and prints a line for each, with the time left for the rest. */
    private final class Progress {
        private final int total;
        private final int jobs;
        private final PrintWriter o;
        private int done;
        private int failed;
        private double seconds;

        Progress(int total, int jobs, PrintWriter o) {
            this.total = total;
            this.jobs = Math.max(1, jobs);
            this.o = o;
        }

        synchronized void ended(Cell c, String failure, long t0) {
            double secs = (System.nanoTime() - t0) / 1e9;
            seconds += secs;
            if (failure == null) {
                done++;
            } else {
                failed++;
            }
            int ended = done + failed;
            int left = total - ended;
            String eta = left == 0 ? "" : String.format(Locale.ROOT, "; %d of %d left, about %.0f s", left, total,
                    seconds / ended * left / Math.min(jobs, left));
            if (failure == null) {
                o.printf(Locale.ROOT, "%s: done in %.1f s%s%n", head(c), secs, eta);
            } else {
                o.printf(Locale.ROOT, "%s: FAILED (%s) after %.1f s%s%n", head(c), failure, secs, eta);
            }
            o.flush();
        }
    }

    /**
     * Before any cell starts: an output folder holding anything but cells and report files is refused, cells need
     * {@code resume}, and a cell whose identity changed is refused by its record.
     */
    private void checkFolder(boolean resume) {
        RunFolders.refuseUnknown(out, "cells");
        Path cellsDir = out.resolve("cells");
        if (Files.isDirectory(cellsDir)) {
            Set<String> ids = new HashSet<>();
            cells.forEach(c -> ids.add(c.id()));
            try (var s = Files.list(cellsDir)) {
                for (Path p : s.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (Files.isDirectory(p) && !ids.contains(name)) {
                        throw new InputException(out, "--out", out, "holds cell " + name + ", which is not a cell "
                                + "of this grid (another grid's): use a new --out");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Cell c : cells) {
            Path rec = c.dir().resolve(CELL_RECORD);
            if (Files.exists(c.dir()) && !resume) {
                throw new InputException(out, "--out", out, "holds cell " + c.id() + " already: add --resume to "
                        + "continue the ablation, or use a new --out");
            }
            RunFolders.refuseAnother(rec, Files.isRegularFile(rec) ? AblationReport.readJson(rec) : null,
                    identity(c), List.of(), "cell " + c.id() + " was made by another grid; use a new --out or "
                    + "delete " + c.dir());
        }
    }

    /** Runs one cell by id in this process (what {@code --jobs} children do); returns null or its failure. */
    String runOne(String id) {
        Cell c = cells.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new InputException(
                null, "--cell", id, "is not a cell of this grid"));
        return runCell(c);
    }

    /**
     * Runs a cell in a child JVM with this JVM's options and class path and {@code threads} PyTorch threads
     * ({@code gen ablate --cell ID}); its output goes to the cell's {@code process.log}. The child watches its
     * standard input, a pipe from this process, and stops when it closes, so a killed ablation leaves no cell
     * running on behind it (a resume would find its folders locked).
     */
    private String cellProcess(Cell c, int threads) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Dai.djl.pytorch.num_threads=") && !a.startsWith("-Dai.djl.pytorch.num_interop")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Dai.djl.pytorch.num_threads=" + threads, "-cp", System.getProperty("java.class.path"),
                Gen.class.getName(), "ablate", "--grid", gridFile.toString(), "--out", out.toString(), "--cell",
                c.id(), "--threads", Integer.toString(threads), "--exit-with-parent"));
        try {
            Files.createDirectories(c.dir());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(c.dir().resolve("process.log").toFile());
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            Process p = pb.start();
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                p.destroy();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (isDone(c)) {
                return null;
            }
            Path failed = c.dir().resolve(FAILED);
            return Files.isRegularFile(failed) ? AblationReport.readJson(failed).path("reason").asText()
                    : "the cell's process exited with " + code + " (see " + c.dir().resolve("process.log") + ")";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the process of cell " + c.id() + ": " + e.getMessage(), e);
        }
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
            long t0 = System.nanoTime();
            int code = cl.execute(s.args().toArray(new String[0]));
            log.append("$ gen ").append(String.join(" ", s.args())).append('\n').append(so).append(se)
                    .append(String.format(Locale.ROOT, "# exit %d after %.3f s%n", code, (System.nanoTime() - t0) / 1e9));
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

    /**
     * Whether a cell finished: its {@code done.json}, or, for a cell run elsewhere from the plan's command lines
     * (which write no marker), every one of its {@code gen eval} reports (its last commands) in place.
     */
    boolean isDone(Cell c) {
        if (Files.isRegularFile(c.dir().resolve(DONE))) {
            return true;
        }
        for (String b : grid.benchmarks()) {
            for (String s : grid.scoresOf(c.loss())) {
                if (!Files.isRegularFile(c.eval(b, s).resolve("metrics.json"))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The paste-area controls a source's cells are made under: one, {@code -}, for {@code none}, which pastes
     * nothing, and for the flow sources, whose squares have their own sizes; otherwise the grid's.
     */
    List<String> areasOf(String source) {
        return source.equals("none") || AblationGrid.isFlow(source) ? List.of(NO_AREA) : grid.area();
    }

    /**
     * Whether a cell's negatives are flow squares decoded in the training loop (its own source, or its loss recipe's
     * for {@code recipe}): they have no pasted sample to show, so the cell has no negatives step.
     */
    private boolean inLoopFlow(String loss, String source) {
        if (AblationGrid.isFlow(source)) {
            return true;
        }
        return source.equals(AblationGrid.RECIPE) && Recipes.load(loss, grid.effectiveProfile(), null, grid.set())
                .data().negatives().source().equals(AblationGrid.FLOW);
    }
}
