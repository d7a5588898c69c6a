package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.coco.CocoAnnotation;
import io.roadneg.datasets.coco.CocoCategories;
import io.roadneg.datasets.coco.CocoImage;
import io.roadneg.datasets.coco.CocoInstancesWriter;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.coco.Segmentation;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PrepareCommandTest {
    private static final int DOG = 18;
    private static final int PERSON = 1;

    @TempDir
    Path tmp;
    Path root;
    Path json;
    String out;
    String err;

    /** A row-major 0/1 mask with the rectangle [x0, x1) x [y0, y1) set. */
    private static byte[] rect(int w, int h, int x0, int y0, int x1, int y1) {
        byte[] m = new byte[w * h];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * w + x] = 1;
            }
        }
        return m;
    }

    private static CocoAnnotation ann(long id, long image, int cat, Segmentation s, boolean crowd) {
        return new CocoAnnotation(id, image, cat, s, 1, new double[] {0, 0, 1, 1}, crowd, Double.NaN);
    }

    @BeforeEach
    void fixture() throws IOException {
        root = tmp.resolve("coco");
        Files.createDirectories(root.resolve("val2017"));
        List<CocoImage> images = List.of(new CocoImage(1, 500, 480, "000000000001.jpg"),
                new CocoImage(2, 600, 500, "000000000002.jpg"), new CocoImage(3, 300, 200, "000000000003.jpg"),
                new CocoImage(4, 480, 480, "000000000004.jpg"), new CocoImage(5, 640, 480, "000000000005.jpg"));
        for (CocoImage im : images.subList(0, 4)) {
            Files.write(root.resolve("val2017").resolve(im.fileName()),
                    Images.encodeJpeg(RgbImage.blank(im.width(), im.height()), 80));
        }
        Files.write(root.resolve("val2017/stray.jpg"), Images.encodeJpeg(RgbImage.blank(8, 8), 80));
        List<CocoAnnotation> anns = new ArrayList<>();
        // image 1: an integer-corner polygon, an uncompressed crowd RLE and a compressed RLE
        anns.add(ann(10, 1, DOG, new Segmentation.Polygons(List.of(new double[] {10, 20, 110, 20, 110, 70, 10, 70})),
                false));
        anns.add(ann(11, 1, DOG, new Segmentation.UncompressedRle(
                Rle.fromRowMajor(rect(500, 480, 200, 0, 210, 480), 480, 500)), true));
        anns.add(ann(12, 1, DOG, new Segmentation.CompressedRle(
                Rle.fromRowMajor(rect(500, 480, 300, 100, 320, 150), 480, 500)), false));
        // image 2 has a person: excluded; image 3 is small; image 4 has nothing; image 5 has no file
        anns.add(ann(20, 2, DOG, new Segmentation.Polygons(List.of(new double[] {0, 0, 9, 0, 9, 9})), false));
        anns.add(ann(21, 2, PERSON, new Segmentation.Polygons(List.of(new double[] {0, 0, 9, 0, 9, 9})), false));
        anns.add(ann(30, 3, DOG, new Segmentation.Polygons(List.of(new double[] {0, 0, 9, 0, 9, 9})), false));
        anns.add(ann(50, 5, DOG, new Segmentation.Polygons(List.of(new double[] {0, 0, 9, 0, 9, 9})), false));
        json = root.resolve("annotations/instances_val2017.json");
        CocoInstancesWriter.write(json, Map.of("description", "fixture"), images, anns, CocoCategories.THINGS);
    }

    private int gen(String... args) {
        CommandLine cl = Gen.commandLine();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private int prepare(Path outDir, String... extra) {
        List<String> a = new ArrayList<>(List.of("prepare", "coco-ood", "--coco-root", root.toString(), "--split",
                "val", "--out", outDir.toString(), "-q"));
        a.addAll(List.of(extra));
        return gen(a.toArray(String[]::new));
    }

    private static int[] expected(byte[] union) {
        int[] v = new int[union.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = union[i] != 0 ? 254 : 0;
        }
        return v;
    }

    @Test
    void writesExactMasksAndCountsEveryDropReason() throws IOException {
        Path o = tmp.resolve("out");
        assertEquals(0, prepare(o), err);
        assertTrue(out.contains("kept 2 (2 written, 0 already present)"), out);
        assertTrue(out.contains("excluded category                        1"), out);
        assertTrue(out.contains("too small                                1"), out);
        assertTrue(out.contains("listed in JSON but image file missing    1"), out);
        assertTrue(out.contains("file present but not in JSON             1"), out);
        assertTrue(out.contains("broken annotation                        0"), out);
        assertTrue(err.contains("stray.jpg: file present but not in JSON"), err);

        byte[] u = rect(500, 480, 10, 20, 110, 70);
        byte[] b = rect(500, 480, 200, 0, 210, 480);
        byte[] c = rect(500, 480, 300, 100, 320, 150);
        for (int i = 0; i < u.length; i++) {
            u[i] |= (byte) (b[i] | c[i]);
        }
        Path dir = o.resolve("annotations/ood_seg_val2017");
        LabelMap m1 = Images.readLabel(dir.resolve("000000000001.png"));
        assertArrayEquals(expected(u), m1.data());
        LabelMap m4 = Images.readLabel(dir.resolve("000000000004.png"));
        assertEquals(0, m4.max());
        assertEquals(480 * 480, m4.data().length);
        assertFalse(Files.exists(dir.resolve("000000000002.png")));
        assertFalse(Files.exists(dir.resolve("000000000003.png")));
        assertTrue(Images.readPngText(dir.resolve("000000000001.png")).get("roadneg:provenance")
                .contains("exclude=person,"));
        String manifest = Files.readString(o.resolve("annotations/ood_seg_val2017_manifest.json"));
        assertTrue(manifest.contains("\"file_name\":\"000000000002.jpg\",\"image_id\":2,\"status\":\"dropped\","
                + "\"reason\":\"excluded category\""), manifest);

        // a rerun keeps what is there; one thread gives the same bytes as two
        assertEquals(0, prepare(o));
        assertTrue(out.contains("kept 2 (0 written, 2 already present)"), out);
        Path o1 = tmp.resolve("out1");
        assertEquals(0, prepare(o1, "--threads", "1"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("000000000001.png")),
                Files.readAllBytes(o1.resolve("annotations/ood_seg_val2017/000000000001.png")));
    }

    @Test
    void customExclusionListAndMinSize() {
        Path o = tmp.resolve("out");
        assertEquals(0, prepare(o, "--exclude", "dog", "--min-size", "100"));
        // every annotated image has a dog now; only the empty image 4 is kept, and nothing is too small
        assertTrue(out.contains("kept 1 "), out);
        assertTrue(out.contains("excluded category                        3"), out);
        assertEquals(2, prepare(o, "--exclude", "dragon"));
        assertTrue(err.contains("exclude = dragon") && err.strip().lines().count() == 1, err);
    }

    @Test
    void truncatedJsonIsOneLineAndExitTwo() throws IOException {
        byte[] all = Files.readAllBytes(json);
        Files.write(json, java.util.Arrays.copyOf(all, all.length / 2));
        assertEquals(2, prepare(tmp.resolve("out")));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("instances_val2017.json") && err.contains("malformed JSON at line"), err);
    }

    @Test
    void badAnnotationsAreReportedAndTheirImagesSkipped() throws IOException {
        String text = Files.readString(json, StandardCharsets.UTF_8);
        // image 1: RLE counts no longer sum to h*w; image 4 gets an odd polygon; an unknown category on image 2's
        // annotation 20 is reported too (image 2 is still dropped for its person)
        int i = text.indexOf("\"counts\":[") + "\"counts\":[".length();
        text = text.substring(0, i) + "7," + text.substring(i);
        text = text.replace("\"id\":30,\"image_id\":3", "\"id\":30,\"image_id\":4")
                .replace("[[0.0,0.0,9.0,0.0,9.0,9.0]],\"area\":1.0,\"bbox\":[0.0,0.0,1.0,1.0],\"iscrowd\":0},{\"id\":50",
                        "[[0.0,0.0,9.0,0.0,9.0]],\"area\":1.0,\"bbox\":[0.0,0.0,1.0,1.0],\"iscrowd\":0},{\"id\":50")
                .replace("\"id\":20,\"image_id\":2,\"category_id\":18", "\"id\":20,\"image_id\":2,\"category_id\":12");
        Files.writeString(json, text, StandardCharsets.UTF_8);
        assertEquals(0, prepare(tmp.resolve("out")), err);
        assertTrue(err.contains("annotations[1].segmentation.counts"), err);
        assertTrue(err.contains("annotations[5].segmentation[0]") && err.contains("odd number"), err);
        assertTrue(err.contains("annotations[3].category_id = 12: unknown category id"), err);
        assertTrue(out.contains("kept 0 "), out);
        assertTrue(out.contains("broken annotation                        2"), out);
    }
}
