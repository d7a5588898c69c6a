package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.coco.CocoAnnotation;
import io.roadneg.datasets.coco.CocoCategory;
import io.roadneg.datasets.coco.CocoImage;
import io.roadneg.datasets.coco.CocoInstancesReader;
import io.roadneg.datasets.coco.CocoInstancesWriter;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.coco.Segmentation;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MasksCommandTest {
    @TempDir
    Path tmp;
    Path images;
    String out;
    String err;

    /** A grey image with a red rectangle [x0, x1) x [y0, y1). */
    static RgbImage scene(int w, int h, int x0, int y0, int x1, int y1) {
        RgbImage im = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
                im.setRgb(x, y, in ? 0xdc1e28 : 0x507850 + ((x * 7 + y * 3) % 16));
            }
        }
        return im;
    }

    @BeforeEach
    void fixture() throws IOException {
        images = Files.createDirectories(tmp.resolve("images"));
        Images.writePng(images.resolve("a.png"), scene(80, 60, 20, 15, 50, 40), 1, Map.of());
        Images.writePng(images.resolve("b.png"), scene(64, 48, 5, 5, 30, 30), 1, Map.of());
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Gen.commandLine();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void simpleJsonBoxesBecomeCocoMasksWithScoresAndSkipsAreReported() throws IOException {
        Path boxes = tmp.resolve("boxes.json");
        Files.writeString(boxes, "[{\"file_name\": \"a.png\", \"bbox\": [16, 11, 38, 33], \"category_id\": 3},"
                + "{\"file_name\": \"a.png\", \"bbox\": [200, 200, 10, 10]},"
                + "{\"file_name\": \"a.png\", \"bbox\": [5, 5, 0, 10]},"
                + "{\"file_name\": \"missing.png\", \"bbox\": [1, 1, 5, 5]},"
                + "{\"file_name\": \"b.png\", \"bbox\": [2, 2, 31, 31], \"points\": [[15, 15, 1]]}]");
        Path json = tmp.resolve("out/masks.json");
        assertEquals(0, run("masks", "--images", images.toString(), "--boxes", boxes.toString(), "--out",
                json.toString(), "-q"), err);
        assertTrue(out.contains("2 masks for 2 images"), out);
        assertTrue(err.contains("[1].bbox = [200, 200, 10, 10]: outside the 80x60 image a.png"), err);
        assertTrue(err.contains("[2].bbox = [5,5,0,10]: empty box"), err);
        assertTrue(err.contains("missing.png: image not found"), err);

        CocoInstancesReader r = CocoInstancesReader.open(json);
        assertEquals(2, r.images().size());
        List<CocoAnnotation> anns = new ArrayList<>();
        r.forEachAnnotation((a, span) -> anns.add(a));
        assertEquals(2, anns.size());
        CocoAnnotation a = anns.get(0);
        assertEquals(3, a.categoryId());
        assertTrue(a.segmentation() instanceof Segmentation.CompressedRle);
        assertTrue(a.score() >= 0 && a.score() <= 1, "score " + a.score());
        // the red rectangle is the object: the mask is its 30x25 pixels, give or take GrabCut's border
        Rle m = a.segmentation().toRle(60, 80);
        assertEquals(750, m.area(), 40);
        assertEquals(20, m.bbox()[0], 1);
    }

    @Test
    void cocoBoxesWithAMismatchedImageSkipThatImage() throws IOException {
        Rle any = Rle.fromRowMajor(new byte[80 * 60], 60, 80);
        Path coco = tmp.resolve("instances.json");
        CocoInstancesWriter.write(coco, Map.of(), List.of(new CocoImage(7, 80, 60, "a.png"),
                new CocoImage(8, 100, 100, "b.png")), List.of(
                new CocoAnnotation(70, 7, 18, new Segmentation.CompressedRle(any), 0, new double[] {16, 11, 38, 33},
                        false, Double.NaN),
                new CocoAnnotation(80, 8, 18, new Segmentation.Polygons(List.of(new double[] {0, 0, 5, 0, 5, 5})), 0,
                        new double[] {2, 2, 31, 31}, false, Double.NaN)),
                List.of(new CocoCategory(18, "dog", "animal")));
        Files.writeString(tmp.resolve("boxes.csv"), "file_name,x,y,w,h\na.png,16,11,38,33\na.png,1,x,3,3\n");
        Path json = tmp.resolve("masks.json");
        assertEquals(0, run("masks", "--images", images.toString(), "--boxes", coco.toString(), "--out",
                json.toString(), "-q"), err);
        assertTrue(err.contains("b.png: size = 64x48: differs from 100x100 in instances.json"), err);
        List<CocoAnnotation> anns = new ArrayList<>();
        CocoInstancesReader.open(json).forEachAnnotation((a, span) -> anns.add(a));
        assertEquals(1, anns.size());
        assertEquals(70, anns.get(0).id());
        assertEquals(7, anns.get(0).imageId());

        assertEquals(0, run("masks", "--images", images.toString(), "--boxes", tmp.resolve("boxes.csv").toString(),
                "--out", json.toString(), "-q"), err);
        assertTrue(out.contains("1 masks for 1 images"), out);
        assertTrue(err.contains("line 3 = a.png,1,x,3,3: not a number"), err);
    }

    @Test
    void badPrompterOrBrokenTorchScriptIsExit2WithoutAnOutputFile() throws IOException {
        Path boxes = tmp.resolve("boxes.json");
        Files.writeString(boxes, "[{\"file_name\": \"a.png\", \"bbox\": [16, 11, 38, 33]}]");
        Path json = tmp.resolve("masks.json");
        assertEquals(2, run("masks", "--images", images.toString(), "--boxes", boxes.toString(), "--out",
                json.toString(), "--prompter", "grabcut:iterations=0"));
        assertTrue(err.contains("iterations must be in 1..100, found 0"), err);
        assertEquals(2, run("masks", "--images", images.toString(), "--boxes", boxes.toString(), "--out",
                json.toString(), "--prompter", "torchscript:" + tmp.resolve("nowhere")));
        assertTrue(err.contains("not a folder"), err);
        assertEquals(2, run("masks", "--images", images.toString(), "--boxes", tmp.resolve("none.json").toString(),
                "--out", json.toString()));
        assertTrue(err.contains("none.json: file not found"), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertFalse(Files.exists(json));
    }
}
