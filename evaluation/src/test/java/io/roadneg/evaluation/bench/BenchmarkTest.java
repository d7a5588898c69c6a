package io.roadneg.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each layout's reader on tiny fixtures in its real layout, with its void rule. */
class BenchmarkTest {
    @TempDir
    Path tmp;

    private void pair(Path image, Path label, int... values) {
        Images.writePng(image, RgbImage.blank(values.length, 1), 1, Map.of());
        Images.writePng(label, new LabelMap(values.length, 1, values), 1, Map.of());
    }

    @Test
    void fishyscapesBdlTreatsOtherValuesAsVoid() {
        Path root = tmp.resolve("fishyscapes");
        pair(root.resolve("LostAndFound/original/0000.png"), root.resolve("LostAndFound/labels/0000.png"), 0, 1, 255, 3);
        List<Frame> f = Benchmark.FS_LAF.frames(root.getParent());
        assertEquals(1, f.size());
        assertEquals("0000", f.get(0).id());
        assertArrayEquals(new byte[] {0, 1, -1, -1}, Benchmark.FS_LAF.target(f.get(0)).values());
    }

    @Test
    void roadAnomalyBothLayouts() {
        Path orig = tmp.resolve("ra");
        Images.writePng(orig.resolve("frames/animals01.jpg"), RgbImage.blank(3, 1), 1, Map.of());
        Images.writePng(orig.resolve("frames/animals01.labels/labels_semantic.png"), new LabelMap(3, 1,
                new int[] {0, 1, 2}), 1, Map.of());
        // note: a PNG under a .jpg name still decodes; the reader matches names only
        List<Frame> f = Benchmark.ROAD_ANOMALY.frames(orig);
        assertArrayEquals(new byte[] {0, 0, 1}, Benchmark.ROAD_ANOMALY.target(f.get(0)).values());
        Path red = tmp.resolve("road_anomaly");
        pair(red.resolve("images/a.jpg"), red.resolve("labels_masks/a.png"), 0, 2);
        assertArrayEquals(new byte[] {0, 1}, Benchmark.ROAD_ANOMALY_MASKS.target(
                Benchmark.ROAD_ANOMALY_MASKS.frames(tmp).get(0)).values());
    }

    @Test
    void streetHazardsAndLostAndFoundRules() {
        Path sh = tmp.resolve("sh");
        pair(sh.resolve("test/images/test/t5/300.png"), sh.resolve("test/annotations/test/t5/300.png"), 0, 5, 14);
        assertArrayEquals(new byte[] {-1, 0, 1}, Benchmark.STREETHAZARDS_T5.target(
                Benchmark.STREETHAZARDS_T5.frames(sh).get(0)).values());
        Path laf = tmp.resolve("laf");
        pair(laf.resolve("leftImg8bit/test/02_Hanns/02_Hanns_000000_000010_leftImg8bit.png"),
                laf.resolve("gtCoarse/test/02_Hanns/02_Hanns_000000_000010_gtCoarse_labelIds.png"), 0, 1, 7);
        List<Frame> f = Benchmark.LOST_AND_FOUND.frames(laf);
        assertEquals("02_Hanns_000000_000010", f.get(0).id());
        assertArrayEquals(new byte[] {-1, 0, 1}, Benchmark.LOST_AND_FOUND.target(f.get(0)).values());
    }

    @Test
    void partialLayoutSaysWhatWasFound() {
        Path root = tmp.resolve("fs");
        pair(root.resolve("Static/original/0000.png"), root.resolve("Static/labels/0000.png"), 0, 1);
        Images.writePng(root.resolve("Static/original/0001.png"), RgbImage.blank(2, 1), 1, Map.of());
        InputException e = assertThrows(InputException.class, () -> Benchmark.FS_STATIC.frames(root));
        assertTrue(e.getMessage().contains("found 2 images, 1 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("0001"), e.getMessage());
        InputException v = assertThrows(InputException.class, () -> Benchmark.SMIYC_OBSTACLE.target(
                new Frame("x", root.resolve("Static/original/0000.png"), writeLabel(root, 0, 1, 9))));
        assertTrue(v.getMessage().contains("label value = 9"), v.getMessage());
    }

    private Path writeLabel(Path root, int... values) {
        Path p = root.resolve("odd.png");
        Images.writePng(p, new LabelMap(values.length, 1, values), 1, Map.of());
        return p;
    }
}
