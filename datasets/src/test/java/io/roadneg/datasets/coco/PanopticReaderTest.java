package io.roadneg.datasets.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PanopticReaderTest {
    @TempDir
    Path dir;

    @Test
    void realSampleSegmentsMatchTheirAreaAndBbox() {
        String root = System.getProperty("roadneg.shared.data");
        Path base = root == null ? null : Path.of(root, "coco-val2017-panoptic");
        assumeTrue(base != null && Files.isDirectory(base), "shared sample data absent: skipping the real-file test");
        Path sample = base.resolve("sample_data");
        PanopticReader r = PanopticReader.open(sample.resolve("panoptic_examples.json"),
                sample.resolve("panoptic_examples"), base.resolve("panoptic_coco_categories.json"));
        List<PanopticReader.Entry> entries = new ArrayList<>();
        r.forEach(entries::add);
        assertEquals(List.of(18, 32), entries.stream().map(e -> e.segments().size()).toList());
        for (PanopticReader.Entry e : entries) {
            for (PanopticReader.SegmentMask m : r.masks(e)) {
                assertEquals(m.segment().area(), m.mask().area(), "segment " + m.segment().id());
                assertArrayEquals(m.segment().bbox(), m.mask().bbox(), "segment " + m.segment().id());
            }
        }
    }

    @Test
    void syntheticPanopticPngDecodesIdsFromRgb() throws IOException {
        // segment 300 = R 44 + 256 * G 1; segment 65537 = R 1 + 65536 * B 1
        RgbImage png = RgbImage.blank(3, 2);
        png.setRgb(0, 0, 44 << 16 | 1 << 8);
        png.setRgb(1, 0, 44 << 16 | 1 << 8);
        png.setRgb(2, 1, 1 << 16 | 1);
        Files.createDirectories(dir.resolve("png"));
        Images.writePng(dir.resolve("png/1.png"), png, 1, Map.of());
        String json = """
                {"annotations": [{"image_id": 1, "file_name": "1.png", "segments_info": [
                  {"id": 300, "category_id": 18, "iscrowd": 0, "bbox": [0, 0, 2, 1], "area": 2},
                  {"id": 65537, "category_id": 200, "iscrowd": 0, "bbox": [2, 1, 1, 1], "area": 1}]},
                  {"image_id": 2, "file_name": "1.png", "segments_info": [
                  {"id": 300, "category_id": 18, "iscrowd": 0, "bbox": [0, 0, 2, 1], "area": 2}]}],
                 "categories": [{"id": 18, "name": "dog", "isthing": 1}, {"id": 200, "name": "grass", "isthing": 0}]}
                """;
        AtomicFiles.write(dir.resolve("p.json"), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        PanopticReader r = PanopticReader.open(dir.resolve("p.json"), dir.resolve("png"), null);
        assertEquals(true, r.isThing(18));
        assertEquals(false, r.isThing(200));
        List<PanopticReader.Entry> entries = new ArrayList<>();
        r.forEach(entries::add);
        List<PanopticReader.SegmentMask> masks = r.masks(entries.get(0));
        assertArrayEquals(new byte[] {1, 1, 0, 0, 0, 0}, masks.get(0).mask().toRowMajor());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 1}, masks.get(1).mask().toRowMajor());
        // the second entry does not list segment 65537, which its PNG holds
        InputException e = assertThrows(InputException.class, () -> r.masks(entries.get(1)));
        assertEquals("65537", e.value());
    }
}
