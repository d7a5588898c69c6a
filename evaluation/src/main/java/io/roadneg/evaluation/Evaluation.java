package io.roadneg.evaluation;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.io.Roots;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.bench.Target;
import io.roadneg.evaluation.metrics.ComponentMetrics;
import io.roadneg.evaluation.metrics.ExactPixelMetrics;
import io.roadneg.evaluation.metrics.Half;
import io.roadneg.evaluation.metrics.OpenSetMetrics;
import io.roadneg.evaluation.metrics.PerImageMetrics;
import io.roadneg.evaluation.metrics.PixelMetrics;
import io.roadneg.evaluation.metrics.SmiycPixelMetrics;
import io.roadneg.evaluation.report.Reports;
import io.roadneg.evaluation.scores.ScoreFiles;
import io.roadneg.evaluation.scores.ScoreMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The library entry point of {@code gen eval}: reads a benchmark and score maps, computes metrics, writes reports. */
public final class Evaluation {
    private Evaluation() {
    }

    /** {@link #run(Benchmark, Path, Path, Protocol, Path, Progress, int, OpenSetRequest)} on one thread, no open set. */
    public static EvalResult run(Benchmark benchmark, Path root, Path scores, Protocol protocol, Path out,
            Progress progress) {
        return run(benchmark, root, scores, protocol, out, progress, 1, null);
    }

    /**
     * Evaluates the score maps in {@code scores} on {@code benchmark} under {@code root}; writes the reports into
     * {@code out} when it is not null. Frames are decoded and counted on {@code threads} threads; the numbers are
     * identical for every thread count. With {@code openSet},
     * also the DenseHybrid open-set metrics.
     */
    public static EvalResult run(Benchmark benchmark, Path root, Path scores, Protocol protocol, Path out,
            Progress progress, int threads, OpenSetRequest openSet) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, found " + threads);
        }
        if (out != null) {
            Roots.checkFolder(out, "--out"); // before minutes of work, not after
        }
        List<Frame> frames = benchmark.frames(root);
        // check every input file up front: a missing frame fails before minutes of work, with its name
        List<Path> scoreFiles = locateScores(frames, scores);
        List<Path> classFiles = null;
        if (openSet != null) {
            if (benchmark.knownClasses() == 0) {
                throw new InputException(openSet.classes(), "--classes", benchmark.cliName(),
                        "open-set metrics need a benchmark with class labels (streethazards-t5, streethazards-t6)");
            }
            classFiles = new ArrayList<>();
            for (Frame f : frames) {
                classFiles.add(ScoreFiles.locateClasses(openSet.classes(), f.id()));
            }
        }
        int n = frames.size();
        PixelMetrics[] own = new PixelMetrics[n];
        String[] sizes = new String[n];
        PixelMetrics pixel;
        PixelMetrics pixelUniform = null;
        ComponentMetrics.Result components = null;
        PerImageMetrics.Result perImageResult = null;
        progress.start("eval " + benchmark.cliName(), n);
        Reports.Overlays overlays = null;
        List<EvalResult.FrameScore> perFrame;
        try {
            if (protocol == Protocol.EXACT) {
                List<ExactPixelMetrics> parts = FrameWorkers.run(n, threads, ExactPixelMetrics::new, (acc, i) -> {
                    Target t = benchmark.target(frames.get(i));
                    ScoreMap s = load(scoreFiles.get(i), t);
                    sizes[i] = t.width() + "x" + t.height();
                    add(acc, s, t, scoreFiles.get(i), n);
                    own[i] = ofFrame(s, t);
                    synchronized (progress) {
                        progress.step(1); // progress bars need not be thread-safe
                    }
                });
                // the overlays need only each frame's own AP: drawn while the pooled metric is folded and walked
                perFrame = perFrame(frames, own);
                overlays = startOverlays(out, openSet, perFrame, benchmark, frames, scoreFiles);
                pixel = mergeInOrder(parts).compute(threads);
                PerImageMetrics perImage = new PerImageMetrics();
                for (PixelMetrics m : own) {
                    perImage.add(m); // frame order, so the float sums do not depend on the threads
                }
                perImageResult = perImage.compute();
            } else {
                // per worker: the percentile and the uniform accumulator (their merge does not depend on the split)
                List<SmiycPixelMetrics[]> parts = FrameWorkers.run(n, threads, () -> new SmiycPixelMetrics[] {
                        new SmiycPixelMetrics(SmiycPixelMetrics.Bins.PERCENTILES),
                        new SmiycPixelMetrics(SmiycPixelMetrics.Bins.UNIFORM)}, (acc, i) -> {
                            Target t = benchmark.target(frames.get(i));
                            ScoreMap s = load(scoreFiles.get(i), t);
                            sizes[i] = t.width() + "x" + t.height();
                            own[i] = ofFrame(s, t);
                            short[] half = halfScores(scoreFiles.get(i), s);
                            acc[0].update(half, t.values());
                            acc[1].update(half, t.values());
                            synchronized (progress) {
                                progress.step(1);
                            }
                        });
                SmiycPixelMetrics smiyc = parts.get(0)[0];
                SmiycPixelMetrics uniform = parts.get(0)[1];
                for (int w = 1; w < parts.size(); w++) {
                    smiyc.merge(parts.get(w)[0]);
                    uniform.merge(parts.get(w)[1]);
                }
                perFrame = perFrame(frames, own);
                overlays = startOverlays(out, openSet, perFrame, benchmark, frames, scoreFiles);
                pixel = smiyc.compute();
                pixelUniform = uniform.compute();
                ComponentMetrics.Track track = benchmark == Benchmark.SMIYC_OBSTACLE ? ComponentMetrics.Track.OBSTACLE
                        : benchmark == Benchmark.SMIYC_ANOMALY ? ComponentMetrics.Track.ANOMALY : null;
                if (track != null && pixel.defined()) {
                    double threshold = pixel.bestF1Threshold();
                    // each frame's components on its own, then appended in frame order (the means sum in that order)
                    ComponentMetrics[] byFrame = new ComponentMetrics[n];
                    FrameWorkers.run(n, threads, () -> Boolean.TRUE, (unused, i) -> {
                        Target t = benchmark.target(frames.get(i));
                        ScoreMap s = load(scoreFiles.get(i), t);
                        ComponentMetrics one = new ComponentMetrics(track, threshold);
                        one.update(halfScores(scoreFiles.get(i), s), t.values(), t.width(), t.height());
                        byFrame[i] = one;
                    });
                    ComponentMetrics cm = new ComponentMetrics(track, threshold);
                    for (ComponentMetrics one : byFrame) {
                        cm.merge(one);
                    }
                    components = cm.compute();
                }
            }
            progress.close();
            OpenSetSummary open = null;
            if (openSet != null) {
                open = openSet(benchmark, root, frames, scoreFiles, classFiles, openSet, scores, threads,
                        protocol == Protocol.EXACT ? pixel : null);
            }
            EvalResult result = new EvalResult(benchmark.cliName(), benchmark.title(), benchmark.voidRule(), protocol,
                    String.join(", ", new TreeSet<>(List.of(sizes))), n, pixel, pixelUniform, perImageResult,
                    components, perFrame, open);
            if (out != null) {
                if (overlays == null) {
                    overlays = Reports.startOverlays(perFrame, benchmark, frames, scoreFiles, out);
                }
                Reports.write(result, out, overlays);
            }
            return result;
        } finally {
            if (overlays != null) {
                overlays.close();
            }
        }
    }

    private static List<EvalResult.FrameScore> perFrame(List<Frame> frames, PixelMetrics[] own) {
        List<EvalResult.FrameScore> perFrame = new ArrayList<>();
        for (int i = 0; i < own.length; i++) {
            perFrame.add(new EvalResult.FrameScore(frames.get(i).id(), own[i].ap()));
        }
        return perFrame;
    }

    /**
     * Starts the report's overlays once every frame's own AP is known, when there is a report to write and no
     * open-set step that may still refuse its inputs (then they start with the report, so a refused run leaves no
     * folder behind).
     */
    private static Reports.Overlays startOverlays(Path out, OpenSetRequest openSet,
            List<EvalResult.FrameScore> perFrame, Benchmark benchmark, List<Frame> frames, List<Path> scoreFiles) {
        if (out == null || openSet != null) {
            return null;
        }
        return Reports.startOverlays(perFrame, benchmark, frames, scoreFiles, out);
    }

    private static List<Path> locateScores(List<Frame> frames, Path scores) {
        List<Path> files = new ArrayList<>();
        for (Frame f : frames) {
            files.add(ScoreFiles.locate(scores, f.id()));
        }
        return files;
    }

    /** Counts a frame in the exact pooled metric by its own type: float16 bits, float64 values or float32. */
    private static void add(ExactPixelMetrics acc, ScoreMap s, Target t, Path file, int frames) {
        if (s.halfBits() != null) {
            acc.updateHalf(s.halfBits(), t.values());
        } else if (s.wide() != null) {
            long valid = 0;
            for (byte v : t.values()) {
                if (v == io.roadneg.datasets.LabelValues.ANOMALY || v == io.roadneg.datasets.LabelValues.INLIER) {
                    valid++;
                }
            }
            String problem = wideMemoryProblem(valid, frames, Runtime.getRuntime().maxMemory());
            if (problem != null) {
                throw new InputException(file, "descr", "<f8", problem);
            }
            acc.updateWide(s.wide(), t.values());
        } else {
            acc.update(s.values(), t.values());
        }
    }

    /**
     * Why a split of {@code frames} frames with as many valid float64 pixels each as this one cannot be ranked in a
     * heap of {@code heap} bytes, or null when it can: each float64 pixel is kept as an 8-byte key until the end,
     * which may use at most 80 % of the heap. Said at a float64 frame, before minutes of work end in an
     * out-of-memory error.
     */
    static String wideMemoryProblem(long validPixels, int frames, long heap) {
        double need = 8.0 * validPixels * frames;
        if (need <= 0.8 * heap) {
            return null;
        }
        return String.format(Locale.ROOT, "float64 scores are ranked as doubles, at 8 bytes a pixel: %d frames of "
                + "%d valid pixels need about %.1f GB of heap and this one has %.1f GB; save the maps as float32 "
                + "(score.astype(np.float32)) or give the heap more (GEN_HEAP=%dg gen eval ...)", frames, validPixels,
                need / (1L << 30), heap / (double) (1L << 30), (long) Math.ceil(need / 0.8 / (1L << 30)) + 1);
    }

    /** The frame's own exact metrics, float64 scores ranked as doubles. */
    private static PixelMetrics ofFrame(ScoreMap s, Target t) {
        return s.wide() != null ? ExactPixelMetrics.ofFrameWide(s.wide(), t.values())
                : ExactPixelMetrics.ofFrame(s.values(), t.values());
    }

    /** Merges per-thread accumulators in worker order (fixed, so the procedure is the same on every run). */
    private static ExactPixelMetrics mergeInOrder(List<ExactPixelMetrics> parts) {
        ExactPixelMetrics all = parts.get(0);
        for (int w = 1; w < parts.size(); w++) {
            all.merge(parts.get(w));
        }
        return all;
    }

    /** The exact pooled metrics of a whole split (the calibration split of the open-set protocol). */
    private static PixelMetrics exactPooled(Benchmark b, List<Frame> frames, List<Path> scoreFiles, int threads) {
        List<ExactPixelMetrics> parts = FrameWorkers.run(frames.size(), threads, ExactPixelMetrics::new,
                (acc, i) -> {
                    Target t = b.target(frames.get(i));
                    add(acc, load(scoreFiles.get(i), t), t, scoreFiles.get(i), frames.size());
                });
        return mergeInOrder(parts).compute(threads);
    }

    private static OpenSetSummary openSet(Benchmark benchmark, Path root, List<Frame> frames, List<Path> scoreFiles,
            List<Path> classFiles, OpenSetRequest req, Path scores, int threads, PixelMetrics ownPooled) {
        Benchmark cal = req.calibrateOn() == null ? benchmark : req.calibrateOn();
        if (cal.knownClasses() != benchmark.knownClasses()) {
            throw new InputException(null, "--calibrate-on", cal.cliName(), "has another label space than "
                    + benchmark.cliName() + "; calibrate on a split of the same dataset");
        }
        PixelMetrics calMetrics;
        if (cal == benchmark && ownPooled != null) {
            calMetrics = ownPooled;
        } else {
            List<Frame> calFrames = cal.frames(root);
            Path calScores = req.calibrationScores() == null ? scores : req.calibrationScores();
            calMetrics = exactPooled(cal, calFrames, locateScores(calFrames, calScores), threads);
        }
        if (!calMetrics.defined()) {
            throw new InputException(null, "--calibrate-on", cal.cliName(),
                    "cannot calibrate the open-set threshold: " + calMetrics.undefinedReason());
        }
        double threshold = calMetrics.thresholdAtTpr95();
        int k = benchmark.knownClasses();
        List<OpenSetMetrics> parts = FrameWorkers.run(frames.size(), threads, () -> new OpenSetMetrics(k, threshold),
                (acc, i) -> {
                    Frame f = frames.get(i);
                    int[] label = benchmark.classTarget(f);
                    Target t = benchmark.target(f);
                    ScoreMap s = load(scoreFiles.get(i), t);
                    LabelMap c = ScoreFiles.readClasses(classFiles.get(i));
                    if (c.width() != t.width() || c.height() != t.height()) {
                        throw new InputException(classFiles.get(i), "shape", c.height() + "x" + c.width() + " (HxW)",
                                "class prediction size differs from the label's " + t.height() + "x" + t.width());
                    }
                    int[] cls = c.data();
                    for (int p = 0; p < cls.length; p++) {
                        if (cls[p] >= k) {
                            throw new InputException(classFiles.get(i), "class", cls[p] + " at pixel ("
                                    + (p % c.width()) + ", " + (p / c.width()) + ")", "expected train ids 0.."
                                    + (k - 1));
                        }
                    }
                    if (s.wide() != null) {
                        acc.update(label, cls, s.wide());
                    } else {
                        acc.update(label, cls, s.values());
                    }
                });
        OpenSetMetrics all = parts.get(0);
        for (int w = 1; w < parts.size(); w++) {
            all.merge(parts.get(w));
        }
        String where = cal == benchmark ? "calibrated on the evaluated split itself (optimistic, not DenseHybrid's"
                + " held-out calibration)" : "calibrated on " + cal.cliName() + " (DenseHybrid held-out calibration)";
        String protocol = String.format(Locale.ROOT, "DenseHybrid open-set: anomaly where score >= %s, the exact "
                + "pooled TPR-95%% threshold %s; else the predicted class; %d known classes + anomaly, void ignored; "
                + "open-mIoU over the known classes present; pooled over frames", threshold, where, k);
        return new OpenSetSummary(protocol, cal.cliName(), k, all.compute());
    }

    /**
     * The scores as float16, the type the official SMIYC tool stores them in (float32 maps rounded to nearest even);
     * a score beyond float16's range (65504) is refused, since the official tool would turn it into infinity.
     */
    private static short[] halfScores(Path file, ScoreMap s) {
        if (s.halfBits() != null) {
            return s.halfBits();
        }
        if (s.wide() != null) {
            // float64 straight to float16, as numpy's astype(np.float16) does (through float32 could round twice)
            double[] d = s.wide();
            short[] h = new short[d.length];
            for (int i = 0; i < d.length; i++) {
                h[i] = Half.fromDouble(d[i]);
                if (!Half.isFinite(h[i])) {
                    throw new InputException(file, "score", d[i] + " at pixel (" + (i % s.width()) + ", "
                            + (i / s.width()) + ")", "overflows float16, the type the official SMIYC scorer stores "
                            + "scores in (largest 65504); rescale the scores");
                }
            }
            return h;
        }
        float[] v = s.values();
        short[] h = SmiycPixelMetrics.toHalf(v);
        for (int i = 0; i < h.length; i++) {
            if (!Half.isFinite(h[i])) {
                throw new InputException(file, "score", v[i] + " at pixel (" + (i % s.width()) + ", "
                        + (i / s.width()) + ")", "overflows float16, the type the official SMIYC scorer stores "
                        + "scores in (largest 65504); rescale the scores");
            }
        }
        return h;
    }

    private static ScoreMap load(Path file, Target t) {
        ScoreMap s = ScoreFiles.read(file);
        if (s.width() != t.width() || s.height() != t.height()) {
            throw new InputException(file, "shape", s.height() + "x" + s.width() + " (HxW)",
                    "score map size differs from the label's " + t.height() + "x" + t.width()
                    + "; resize the scores to the label resolution yourself (no silent resize here)");
        }
        return s;
    }
}
