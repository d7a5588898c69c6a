package io.roadneg.evaluation;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.bench.Target;
import io.roadneg.evaluation.metrics.ComponentMetrics;
import io.roadneg.evaluation.metrics.ExactPixelMetrics;
import io.roadneg.evaluation.metrics.PerImageMetrics;
import io.roadneg.evaluation.metrics.PixelMetrics;
import io.roadneg.evaluation.metrics.SmiycPixelMetrics;
import io.roadneg.evaluation.report.Reports;
import io.roadneg.evaluation.scores.ScoreFiles;
import io.roadneg.evaluation.scores.ScoreMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The library entry point of {@code gen eval}: reads a benchmark and score maps, computes metrics, writes reports. */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * Evaluates the score maps in {@code scores} on {@code benchmark} under {@code root}; writes the reports into
     * {@code out} when it is not null.
     */
    public static EvalResult run(Benchmark benchmark, Path root, Path scores, Protocol protocol, Path out,
            Progress progress) {
        List<Frame> frames = benchmark.frames(root);
        // check every score file up front: a missing frame fails before minutes of work, with its name
        List<Path> scoreFiles = new ArrayList<>();
        for (Frame f : frames) {
            scoreFiles.add(ScoreFiles.locate(scores, f.id()));
        }
        ExactPixelMetrics exact = new ExactPixelMetrics();
        PerImageMetrics perImage = new PerImageMetrics();
        SmiycPixelMetrics smiyc = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.PERCENTILES);
        SmiycPixelMetrics uniform = new SmiycPixelMetrics(SmiycPixelMetrics.Bins.UNIFORM);
        List<EvalResult.FrameScore> perFrame = new ArrayList<>();
        TreeSet<String> sizes = new TreeSet<>();
        progress.start("eval " + benchmark.cliName(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            Target t = benchmark.target(f);
            ScoreMap s = load(scoreFiles.get(i), t);
            sizes.add(t.width() + "x" + t.height());
            ExactPixelMetrics one = new ExactPixelMetrics();
            if (s.halfBits() != null) {
                exact.updateHalf(s.halfBits(), t.values());
                one.updateHalf(s.halfBits(), t.values());
            } else {
                exact.update(s.values(), t.values());
                one.update(s.values(), t.values());
            }
            PixelMetrics own = one.compute();
            perFrame.add(new EvalResult.FrameScore(f.id(), own.ap()));
            if (protocol == Protocol.EXACT) {
                perImage.add(own);
            } else {
                smiyc.update(s.values(), t.values());
                uniform.update(s.values(), t.values());
            }
            progress.step(1);
        }
        progress.close();
        PixelMetrics pixel;
        PixelMetrics pixelUniform = null;
        ComponentMetrics.Result components = null;
        PerImageMetrics.Result perImageResult = null;
        if (protocol == Protocol.EXACT) {
            pixel = exact.compute();
            perImageResult = perImage.compute();
        } else {
            pixel = smiyc.compute();
            pixelUniform = uniform.compute();
            ComponentMetrics.Track track = benchmark == Benchmark.SMIYC_OBSTACLE ? ComponentMetrics.Track.OBSTACLE
                    : benchmark == Benchmark.SMIYC_ANOMALY ? ComponentMetrics.Track.ANOMALY : null;
            if (track != null && pixel.defined()) {
                ComponentMetrics cm = new ComponentMetrics(track, pixel.bestF1Threshold());
                for (int i = 0; i < frames.size(); i++) {
                    Target t = benchmark.target(frames.get(i));
                    cm.update(load(scoreFiles.get(i), t).values(), t.values(), t.width(), t.height());
                }
                components = cm.compute();
            }
        }
        EvalResult result = new EvalResult(benchmark.cliName(), benchmark.title(), benchmark.voidRule(), protocol,
                String.join(", ", sizes), frames.size(), pixel, pixelUniform, perImageResult, components, perFrame);
        if (out != null) {
            Reports.write(result, benchmark, frames, scoreFiles, out);
        }
        return result;
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
