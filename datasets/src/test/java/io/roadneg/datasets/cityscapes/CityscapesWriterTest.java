package io.roadneg.datasets.cityscapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.cityscapes.CityscapesLayout.FrameId;
import io.roadneg.datasets.cityscapes.CityscapesWriter.LabelledPolygon;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.PngEncoder;
import io.roadneg.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityscapesWriterTest {
    @TempDir
    Path root;

    @Test
    void writesTheSixFilesOfAFrameInTheRealLayout() throws Exception {
        int w = 6;
        int h = 4;
        LabelMap ids = LabelMap.filled(w, h, 7);
        LabelMap inst = LabelMap.filled(w, h, 7);
        ids.set(2, 1, 26);
        inst.set(2, 1, 26_000);
        ids.set(3, 1, 26);
        inst.set(3, 1, 26_001);
        RgbImage img = RgbImage.blank(w, h);
        FrameId id = new FrameId("aachen", 1, 19);
        List<LabelledPolygon> polys = List.of(
                new LabelledPolygon("road", List.of(new int[] {0, 0}, new int[] {6, 0}, new int[] {6, 4})),
                new LabelledPolygon("car", List.of(new int[] {2, 1}, new int[] {4, 1}, new int[] {4, 2})));
        new CityscapesWriter(1, PngEncoder.Codec.ISAL, Map.of("Software", "test")).write(root, "train", id, img, ids, inst, polys);

        assertEquals(ids, Images.readLabel(CityscapesLayout.labelIds(root, "train", id)));
        LabelMap train = Images.readLabel(CityscapesLayout.labelTrainIds(root, "train", id));
        assertEquals(0, train.get(0, 0));
        assertEquals(13, train.get(2, 1));
        assertEquals(inst, Images.readLabel(CityscapesLayout.instanceIds(root, "train", id)));
        assertEquals(16, Images.info(CityscapesLayout.instanceIds(root, "train", id)).getBitsPerPixel());
        RgbImage color = Images.readRgb(CityscapesLayout.color(root, "train", id));
        assertEquals(0x804080, color.rgb(0, 0));
        assertEquals(0x00008e, color.rgb(2, 1));
        assertEquals(img, Images.readRgb(CityscapesLayout.image(root, "train", id)));
        assertEquals("test", Images.readPngText(CityscapesLayout.labelIds(root, "train", id)).get("Software"));
        assertTrue(CityscapesLayout.image(root, "train", id).toString()
                .endsWith("leftImg8bit/train/aachen/aachen_000001_000019_leftImg8bit.png"));
        JsonNode j = new ObjectMapper().readTree(CityscapesLayout.polygons(root, "train", id).toFile());
        assertEquals(4, j.get("imgHeight").asInt());
        assertEquals(6, j.get("imgWidth").asInt());
        assertEquals("car", j.get("objects").get(1).get("label").asText());
        assertEquals(4, j.get("objects").get(1).get("polygon").get(1).get(0).asInt());
    }

    @Test
    void refusesInstanceIdsThatDisagreeWithTheLabels() {
        LabelMap ids = LabelMap.filled(2, 2, 26);
        LabelMap inst = LabelMap.filled(2, 2, 24_000);
        CityscapesWriter wr = new CityscapesWriter(1, PngEncoder.Codec.ZLIB, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wr.write(root, "train",
                new FrameId("aachen", 0, 19), RgbImage.blank(2, 2), ids, inst, List.of()));
        assertTrue(e.getMessage().contains("24000"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LabelledPolygon("spaceship", List.of(new int[2], new int[2], new int[2])));
    }
}
