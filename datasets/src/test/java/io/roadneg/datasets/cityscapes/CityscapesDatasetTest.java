package io.roadneg.datasets.cityscapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.datasets.cityscapes.CityscapesLayout.FrameId;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityscapesDatasetTest {
    @TempDir
    Path root;

    private void frame(String split, FrameId id, boolean labels) {
        Images.writePng(CityscapesLayout.image(root, split, id), RgbImage.blank(8, 4), 1, Map.of());
        if (labels) {
            int[] ids = {7, 7, 8, 8, 26, 26, 0, 33, 7, 7, 8, 8, 26, 26, 0, 33, 11, 11, 11, 23, 23, 23, 21, 21, 11, 11,
                11, 23, 23, 23, 21, 21};
            Images.writePng(CityscapesLayout.labelIds(root, split, id), new LabelMap(8, 4, ids), 1, Map.of());
            int[] inst = ids.clone();
            inst[4] = 26000;
            inst[5] = 26001;
            AtomicFiles.write(CityscapesLayout.instanceIds(root, split, id),
                    Images.encodePng16(new LabelMap(8, 4, inst), 1, Map.of()));
        }
    }

    @Test
    void discoversSplitsCitiesAndFramesInAStableOrder() throws Exception {
        frame("val", new FrameId("munster", 0, 74), true);
        frame("train", new FrameId("zurich", 0, 19), true);
        frame("train", new FrameId("aachen", 2, 19), true);
        frame("train", new FrameId("aachen", 0, 19), true);
        frame("test", new FrameId("berlin", 0, 19), false);
        Files.writeString(root.resolve("leftImg8bit/train/aachen/notes.txt"), "not a frame");
        CityscapesDataset ds = CityscapesDataset.open(root);
        assertEquals(List.of("train", "val", "test"), ds.splits());
        assertEquals(List.of("aachen", "zurich"), ds.cities("train"));
        List<String> stems = ds.frames("train").stream().map(f -> f.id().stem()).toList();
        assertEquals(List.of("aachen_000000_000019", "aachen_000002_000019", "zurich_000000_000019"), stems);
        assertEquals(1, ds.frames("test").size());
        assertEquals(0, ds.labelledFrames("test").size());
    }

    @Test
    void readsLabelsAndDerivesTrainIdsWithTheOfficialTable() {
        frame("train", new FrameId("aachen", 0, 19), true);
        CityscapesFrame f = CityscapesDataset.open(root).frames("train").get(0);
        LabelMap train = f.trainIds();
        assertEquals(0, train.get(0, 0)); // road
        assertEquals(1, train.get(2, 0)); // sidewalk
        assertEquals(13, train.get(4, 0)); // car
        assertEquals(LabelValues.VOID, train.get(6, 0)); // unlabeled
        assertEquals(18, train.get(7, 0)); // bicycle
        assertEquals(10, train.get(3, 2)); // sky
        assertEquals(26001, f.instanceIds().get(5, 0));
        assertEquals(8, f.image().width());
    }

    @Test
    void aFolderThatIsNotCityscapesSaysWhatItFound() throws Exception {
        Files.createDirectories(root.resolve("images"));
        InputException e = assertThrows(InputException.class, () -> CityscapesDataset.open(root));
        assertTrue(e.getMessage().contains("expected a Cityscapes tree"), e.getMessage());
        assertTrue(e.getMessage().contains("[images]"), e.getMessage());
        frame("train", new FrameId("aachen", 0, 19), false);
        InputException split = assertThrows(InputException.class, () -> CityscapesDataset.open(root).frames("val"));
        assertTrue(split.getMessage().contains("split = val"), split.getMessage());
    }

    @Test
    void polygonsJsonRoundTripsAndBadFieldsAreNamed() throws Exception {
        CityscapesPolygons p = new CityscapesPolygons(1024, 2048, List.of(
                new CityscapesPolygons.PolygonObject("road", List.of(new int[] {0, 1023}, new int[] {2047, 1023},
                        new int[] {1024, 500})),
                new CityscapesPolygons.PolygonObject("cargroup", List.of(new int[] {5, 5}, new int[] {9, 5},
                        new int[] {9, 9}))));
        Path f = root.resolve("x_gtFine_polygons.json");
        AtomicFiles.write(f, p.toBytes());
        CityscapesPolygons back = CityscapesPolygons.read(f);
        assertEquals(1024, back.imgHeight());
        assertEquals("cargroup", back.objects().get(1).label());
        assertEquals(1024, back.objects().get(0).polygon().get(2)[0]);
        Files.writeString(f, "{\"imgHeight\":10,\"imgWidth\":10,\"objects\":[{\"label\":\"road\",\"polygon\":[[1,2,3]]}]}");
        InputException e = assertThrows(InputException.class, () -> CityscapesPolygons.read(f));
        assertEquals(f + ": objects[0].polygon[0] = [1,2,3]: must be [x, y]", e.getMessage());
        Files.writeString(f, "{\"imgHeight\":10,");
        assertTrue(assertThrows(InputException.class, () -> CityscapesPolygons.read(f)).getMessage()
                .contains("malformed JSON at line 1"));
    }

    @Test
    void labelTableFacts() {
        assertEquals(7, CityscapesLabels.id("road"));
        assertEquals(0x804080, CityscapesLabels.byTrainId(0).color());
        assertEquals(0x770b20, CityscapesLabels.byTrainId(18).color());
        assertEquals("bicycle", CityscapesLabels.byTrainId(18).name());
        int[] lut = CityscapesLabels.idToTrainIdLut();
        assertEquals(255, lut[9]);
        assertEquals(16, lut[31]);
        int[] inv = CityscapesLabels.trainIdToIdLut();
        for (int t = 0; t < CityscapesLabels.NUM_TRAIN_CLASSES; t++) {
            assertEquals(t, lut[inv[t]]);
        }
    }
}
