package io.roadneg.evaluation.refine;

import io.roadneg.datasets.io.Roots;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.evaluation.scores.Npy;
import io.roadneg.evaluation.scores.ScoreMap;
import io.roadneg.generators.masks.PromptableSegmenter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code gen refine}: every score map {@code {id}.npy} in a folder is refined with {@link ScoreRefiner} against the
 * frame image {@code {id}.jpg|png|webp} and written under the same name to the output folder, where {@code gen eval}
 * reads it. The score file format is supplied by the caller ({@link ScoreMaps}), so this module does not depend on the
 * evaluation module that owns it. A frame without an image or with a size mismatch is a reported skip.
 */
public final class RefineJob {
    /** Image extensions looked for, in order. */
    static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".png", ".webp", ".jpeg");

    private RefineJob() {
    }

    /** A score map: row-major values, and whether the file stored float16 (written back the same way). */
    public record ScoreGrid(int width, int height, float[] values, boolean half) {
    }

    /** Score files as the evaluation module reads and writes them ({@code .npy}, float32 or float16). */
    public static final ScoreMaps NPY = new ScoreMaps() {
        @Override
        public String suffix() {
            return ".npy";
        }

        @Override
        public ScoreGrid read(Path file) {
            ScoreMap m = Npy.read(file);
            if (m.wide() != null) {
                // the refined maps are written as float32: rounding float64 scores here would be silent
                throw new io.roadneg.datasets.InputException(file, "descr", "<f8", "refine reads and writes float32 "
                        + "or float16 maps and this one holds float64 scores float32 cannot hold; save "
                        + "np.asarray(score, dtype=np.float32) to refine it");
            }
            return new ScoreGrid(m.width(), m.height(), m.values(), m.halfBits() != null);
        }

        @Override
        public void write(Path file, ScoreGrid g) {
            Npy.write(file, g.width(), g.height(), g.values(), g.half());
        }
    };

    /** Reads and writes score files. */
    public interface ScoreMaps {
        /** File name suffix of score files, e.g. {@code .npy}. */
        String suffix();

        /** Reads a score file. */
        ScoreGrid read(Path file);

        /** Writes a score file atomically. */
        void write(Path file, ScoreGrid grid);
    }

    /**
     * What to run.
     *
     * @param scores folder of {@code {id}.npy}
     * @param images folder of {@code {id}.jpg|png|webp}
     * @param out output folder
     * @param refiner threshold and component settings
     */
    public record Options(Path scores, Path images, Path out, ScoreRefiner.Options refiner) {
    }

    /**
     * What happened.
     *
     * @param frames frames written
     * @param boxes boxes prompted over all frames
     * @param skipped one line per skipped frame
     */
    public record Result(int frames, long boxes, List<String> skipped) {
    }

    /** Runs the job with {@code prompter} (the caller closes it). */
    public static Result run(Options options, ScoreMaps format, PromptableSegmenter prompter, Progress progress) {
        for (Path dir : List.of(options.scores(), options.images())) {
            if (!Files.isDirectory(dir)) {
                throw new InputException(dir, null, null, "not a folder");
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(options.scores())) {
            files = s.filter(p -> p.getFileName().toString().endsWith(format.suffix())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + options.scores() + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InputException(options.scores(), "--scores", options.scores(), "holds no *" + format.suffix()
                    + " score files");
        }
        Roots.createFolder(options.out(), "--out");
        ScoreRefiner refiner = new ScoreRefiner(options.refiner());
        List<String> skipped = new ArrayList<>();
        int frames = 0;
        long boxes = 0;
        progress.start("refine", files.size());
        try {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - format.suffix().length());
                Path image = findImage(options.images(), id);
                if (image == null) {
                    skipped.add(f + ": no image " + id + IMAGE_EXTENSIONS + " in " + options.images());
                } else {
                    ScoreGrid g = requireFinite(format.read(f), f);
                    RgbImage rgb = Images.readRgb(image);
                    if (rgb.width() != g.width() || rgb.height() != g.height()) {
                        skipped.add(f + ": shape = " + g.width() + "x" + g.height() + ": differs from the image "
                                + image.getFileName() + " (" + rgb.width() + "x" + rgb.height() + ")");
                    } else {
                        ScoreRefiner.Refined r = refiner.refine(g.values(), rgb, prompter);
                        format.write(options.out().resolve(name), new ScoreGrid(g.width(), g.height(), r.values(),
                                g.half()));
                        frames++;
                        boxes += r.boxes().size();
                    }
                }
                progress.step(1);
            }
        } finally {
            progress.close();
        }
        return new Result(frames, boxes, List.copyOf(skipped));
    }

    /** Refuses NaN and infinite scores, as {@code gen eval} does: a box around one would spread it over a region. */
    static ScoreGrid requireFinite(ScoreGrid g, Path file) {
        float[] v = g.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InputException(file, "score", v[i] + " at pixel (" + (i % g.width()) + ", " + (i / g.width())
                        + ")", "scores must be finite");
            }
        }
        return g;
    }

    private static Path findImage(Path dir, String id) {
        for (String ext : IMAGE_EXTENSIONS) {
            Path p = dir.resolve(id + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
