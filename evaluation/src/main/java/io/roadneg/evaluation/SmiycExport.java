package io.roadneg.evaluation;

import io.roadneg.datasets.io.Roots;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.roadneg.datasets.Progress;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.metrics.Half;
import io.roadneg.evaluation.scores.ScoreFiles;
import io.roadneg.evaluation.scores.ScoreMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes score maps in the SMIYC official scorer's input layout,
 * {@code OUT/anomaly_p/{method}/{dataset}/{fid}.hdf5} with dataset {@code value}. jhdf writes only float32 / float64,
 * so values are first rounded to float16 (what the official tool stores) and then written as float32: the scorer sees
 * exactly the float16 values it would have saved itself.
 */
public final class SmiycExport {
    private SmiycExport() {
    }

    /** Exports every frame's score map; returns the folder written. */
    public static Path export(Benchmark benchmark, Path root, Path scores, String method, Path out,
            Progress progress) {
        Roots.name(method, null, "--method");
        List<Frame> frames = benchmark.frames(root);
        Path dir = out.resolve("anomaly_p").resolve(method).resolve(benchmark.smiycName());
        progress.start("export-smiyc", frames.size());
        try {
            Roots.createFolder(out, "--out");
            Files.createDirectories(dir);
            for (Frame f : frames) {
                ScoreMap s = ScoreFiles.read(ScoreFiles.locate(scores, f.id()));
                float[][] rows = new float[s.height()][s.width()];
                for (int y = 0; y < s.height(); y++) {
                    for (int x = 0; x < s.width(); x++) {
                        int i = y * s.width() + x;
                        // float64 scores straight to float16 (as astype(np.float16)), not through float32
                        rows[y][x] = Half.toFloat(s.wide() != null ? Half.fromDouble(s.wide()[i])
                                : Half.fromFloat(s.values()[i]));
                    }
                }
                Path target = dir.resolve(f.id() + ".hdf5");
                Path tmp = dir.resolve(".tmp-" + f.id() + ".hdf5");
                try (WritableHdfFile w = HdfFile.write(tmp)) {
                    w.putDataset("value", rows);
                }
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                progress.step(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        } finally {
            progress.close();
        }
        return dir;
    }
}
