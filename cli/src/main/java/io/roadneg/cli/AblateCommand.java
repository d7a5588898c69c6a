package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen ablate}: fine-tune, score and evaluate every cell of an ablation grid, then tabulate. */
@Command(name = "ablate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an ablation grid (losses x negative sources x seeds on one base and schedule): each cell "
                + "is a gen finetune run folder with its gen score maps and gen eval reports under OUT/cells/ID/; "
                + "ablation.md, .json, .csv and report.html tabulate AP, FPR95 and AUROC per benchmark with the paired "
                + "difference to the reference source.",
            "Grid format: README, section gen ablate; example: configs/ablations/sample.yaml."})
final class AblateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--grid", required = true, paramLabel = "FILE", description = "Grid YAML file.")
    Path grid;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Ablation folder.")
    Path out;

    @Option(names = "--resume", description = "Continue an ablation in --out: finished cells are skipped.")
    boolean resume;

    @Option(names = "--plan", description = "Print every cell's gen command lines as JSON lines; run nothing.")
    boolean plan;

    @Option(names = "--collect", description = "Only build the report from the finished cells.")
    boolean collect;

    @Option(names = "--jobs", defaultValue = "1", paramLabel = "N", description = "Cells run at a time (default 1, "
            + "in this process); above 1 each cell runs in its own JVM with the cores split between them.")
    int jobs;

    @Option(names = "--threads", paramLabel = "T", description = "PyTorch threads per cell (default: the cores / "
            + "--jobs). Cells give byte-identical numbers for the same T whatever --jobs; another T changes the last "
            + "bits of training.")
    Integer threads;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "FMT", description = "With --plan: jsonl (one "
            + "line per cell) or slurm (a job-array script, one task per cell, on stdout).")
    String format;

    @Option(names = "--cell", hidden = true, paramLabel = "ID", description = "Run one cell in this process (what "
            + "--jobs children do).")
    String cell;

    @Option(names = "--exit-with-parent", hidden = true, description = "With --cell: stop when standard input "
            + "closes (the parent ablation ended or was killed).")
    boolean exitWithParent;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces and details.")
    boolean verbose;

    @Override
    public Integer call() {
        if (plan && collect) {
            throw new IllegalArgumentException("--plan and --collect exclude each other");
        }
        if (jobs < 1) {
            throw new InputException(null, "--jobs", jobs, "must be 1 or more");
        }
        if (threads != null && threads < 1) {
            throw new InputException(null, "--threads", threads, "must be 1 or more");
        }
        if (!format.equals("jsonl") && !format.equals("slurm")) {
            throw new InputException(null, "--format", format, "must be jsonl or slurm");
        }
        if (!format.equals("jsonl") && !plan) {
            throw new InputException(null, "--format", format, "goes with --plan");
        }
        PrintWriter o = spec.commandLine().getOut();
        Ablation a = Ablation.load(grid, out);
        if (cell != null) {
            if (exitWithParent) {
                Thread watch = new Thread(() -> {
                    try {
                        while (System.in.read() != -1) {
                            // the parent writes nothing: wait for the pipe to close
                        }
                    } catch (java.io.IOException e) {
                        // a broken pipe means the same: the parent is gone
                    }
                    Runtime.getRuntime().halt(Gen.EXIT_FAILURE);
                }, "parent-watch");
                watch.setDaemon(true);
                watch.start();
            }
            if (threads != null) {
                io.roadneg.finetune.model.Devices.setThreads(threads);
            }
            String failure = a.runOne(cell);
            o.println(failure == null ? cell + ": done" : cell + ": FAILED (" + failure + ")");
            return failure == null ? Gen.EXIT_OK : Gen.EXIT_FAILURE;
        }
        if (plan) {
            if (format.equals("slurm")) {
                o.print(a.slurm());
            } else {
                a.plan(o);
            }
            o.flush();
            return Gen.EXIT_OK;
        }
        Ablation.Summary s = null;
        if (!collect) {
            s = a.run(resume, jobs, threads, o);
        }
        a.collect();
        o.printf("report: %s (also ablation.md, ablation.json, ablation.csv)%n", out.resolve("report.html"));
        if (s != null) {
            o.printf("%d cells done, %d finished before, %d failed%n", s.done(), s.skipped(), s.failed());
            return s.failed() == 0 ? Gen.EXIT_OK : Gen.EXIT_FAILURE;
        }
        return Gen.EXIT_OK;
    }
}
