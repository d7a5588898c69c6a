package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.image.Images;
import io.roadneg.evaluation.scores.Npy;
import io.roadneg.evaluation.scores.ScoreMap;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RefineCommandTest {
    @TempDir
    Path tmp;

    @Test
    void componentsBecomeMasksCarryingTheBoxScore() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path scores = Files.createDirectories(tmp.resolve("scores"));
        int w = 80;
        int h = 60;
        // the object is the red rectangle [20, 50) x [15, 40); the raw score map only sees a blob inside it
        Images.writePng(images.resolve("frame1.png"), MasksCommandTest.scene(w, h, 20, 15, 50, 40), 1, Map.of());
        float[] s = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                s[y * w + x] = 0.1f;
            }
        }
        for (int y = 18; y < 37; y++) {
            for (int x = 22; x < 48; x++) {
                s[y * w + x] = x == 30 && y == 25 ? 0.9f : 0.7f;
            }
        }
        Npy.write(scores.resolve("frame1.npy"), w, h, s, false);
        Npy.write(scores.resolve("frame2.npy"), 10, 10, new float[100], true);
        Npy.write(scores.resolve("lonely.npy"), 10, 10, new float[100], false);
        Images.writePng(images.resolve("frame2.png"), MasksCommandTest.scene(12, 10, 0, 0, 1, 1), 1, Map.of());

        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Gen.commandLine();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        Path out = tmp.resolve("refined");
        int code = cl.execute("refine", "--scores", scores.toString(), "--images", images.toString(), "--out",
                out.toString(), "--threshold", "0.5", "-q");

        assertEquals(0, code, e.toString());
        assertTrue(o.toString().contains("1 frames refined with 1 boxes"), o.toString());
        assertTrue(e.toString().contains("frame2.npy: shape = 10x10: differs from the image frame2.png (12x10)"),
                e.toString());
        assertTrue(e.toString().contains("lonely.npy: no image lonely"), e.toString());
        ScoreMap r = Npy.read(out.resolve("frame1.npy"));
        assertEquals(w, r.width());
        assertEquals(0.9f, r.values()[25 * w + 30]);
        assertEquals(0.9f, r.values()[20 * w + 45], "mask pixels take the box's score");
        assertEquals(0.1f, r.values()[5 * w + 5], "background keeps its score below the threshold");
        long painted = 0;
        for (float v : r.values()) {
            painted += v == 0.9f ? 1 : 0;
        }
        // the prompt is the component's box, all red here: the mask fills it and cannot grow beyond it
        assertTrue(painted > 0.9 * 19 * 26 && painted <= 19 * 26, "mask area " + painted);
    }
}
