package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.sample.SampleData;
import io.roadneg.datasets.sample.SampleDataOptions;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.bench.Target;
import io.roadneg.evaluation.scores.Npy;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark sets of {@code gen sample-data} evaluate with {@code gen eval} as they are. */
class SampleBenchmarksEvalTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void sample() {
        SampleData.generate(SampleDataOptions.small(dir.resolve("sd"), 3), Progress.NONE);
    }

    /** Scores that separate anomalies imperfectly: anomaly pixels around 0.7, others around 0.3, plus noise. */
    private static Path scores(Benchmark b, Path root, String name) {
        Path out = dir.resolve("scores-" + name);
        Random rnd = new Random(1);
        for (Frame f : b.frames(root)) {
            Target t = b.target(f);
            float[] v = new float[t.values().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((t.values()[i] == 1 ? 0.7 : 0.3) + 0.1 * rnd.nextGaussian());
            }
            Npy.write(out.resolve(f.id() + ".npy"), t.width(), t.height(), v, false);
        }
        return out;
    }

    @Test
    void everySampleBenchmarkEvaluates() throws Exception {
        String[][] sets = {{"smiyc-anomaly", "smiyc"}, {"smiyc-obstacle", "smiyc"}, {"fs-laf", "fishyscapes"},
            {"fs-static", "fishyscapes"}, {"road-anomaly-masks", "road_anomaly"}};
        for (String[] s : sets) {
            Benchmark b = Benchmark.byName(s[0]);
            Path root = dir.resolve("sd").resolve(s[1]);
            Path sc = scores(b, root, s[0]);
            Path out = dir.resolve("eval-" + s[0]);
            GenTest.Run r = new GenTest.Run("eval", "--quiet", "--dataset", s[0], "--root", root.toString(),
                    "--scores", sc.toString(), "--out", out.toString());
            assertEquals(0, r.code, s[0] + ": " + r.out + r.err);
            JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
            double ap = m.get("pixel").get("ap").asDouble();
            assertTrue(ap > 0.5 && ap < 1.0, s[0] + " AP " + ap + " in " + m);
            assertTrue(m.toString().contains(b.voidRule()), "the void rule is stated");
        }
    }
}
