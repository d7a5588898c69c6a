package io.roadneg.datasets.ade20k;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ade20kTest {
    @TempDir
    Path dir;

    private static Path realSample() {
        Path p = Path.of(System.getProperty("roadneg.shared.data", "../shared/data"), "ade20k-sceneparsing");
        Assumptions.assumeTrue(Files.isDirectory(p), "real ADE20K sample files not present (../shared/data)");
        return p;
    }

    @Test
    void readsTheRealSceneParsingSample() {
        Ade20kSceneParsing ade = new Ade20kSceneParsing(realSample());
        assertEquals(List.of("validation"), ade.splits());
        List<Ade20kSceneParsing.Pair> pairs = ade.pairs("validation");
        assertEquals(List.of("ADE_val_00000001", "ADE_val_00000002", "ADE_val_00000003"),
                pairs.stream().map(Ade20kSceneParsing.Pair::name).toList());
        for (Ade20kSceneParsing.Pair p : pairs) {
            LabelMap m = p.readAnnotation();
            RgbImage img = Images.readRgb(p.image());
            assertEquals(img.width(), m.width());
            assertEquals(img.height(), m.height());
            assertTrue(m.max() <= 150 && m.max() > 0);
        }
        Ade20kLabels labels = ade.labels();
        assertEquals("wall", labels.byIdx(1).name());
        assertEquals("building", labels.byIdx(2).shortName());
        assertTrue(labels.byIdx(1).stuff());
        assertEquals(0.1576, labels.byIdx(1).ratio(), 1e-9);
    }

    @Test
    void standardNamesAndStuffFlagsMatchTheRealTable() {
        Ade20kLabels real = Ade20kLabels.read(realSample().resolve("objectInfo150.csv"));
        for (Ade20kClass c : real.classes()) {
            assertEquals(c.name(), Ade20kLabels.NAMES.get(c.idx() - 1), "name of " + c.idx());
            assertEquals(c.stuff(), Ade20kLabels.STUFF.contains(c.idx()), "stuff flag of " + c.idx());
        }
    }

    @Test
    void csvRoundTripsAndBadInputNamesFileFieldAndValue() throws Exception {
        double[] ratio = new double[151];
        int[] train = new int[151];
        int[] val = new int[151];
        ratio[3] = 0.25;
        train[3] = 4;
        val[3] = 2;
        Ade20kLabels std = Ade20kLabels.standard(ratio, train, val);
        Path csv = dir.resolve("objectInfo150.csv");
        Files.writeString(csv, std.toCsv());
        Ade20kLabels back = Ade20kLabels.read(csv);
        assertEquals(std.classes(), back.classes());
        assertEquals(3, Ade20kLabels.standardIndex("sky"));

        Files.writeString(csv, "Index,Name\n1,wall\n");
        InputException e = assertThrows(InputException.class, () -> Ade20kLabels.read(csv));
        assertEquals(csv, e.file());
        assertEquals("header", e.field());

        Files.writeString(csv, std.toCsv().replace("3,0.2500,4,2,1,sky", "3,0.2500,4,2,7,sky"));
        e = assertThrows(InputException.class, () -> Ade20kLabels.read(csv));
        assertEquals("line 4 Stuff", e.field());
        assertEquals("7", e.value());
    }

    @Test
    void missingAnnotationIsReportedWithItsPath() throws Exception {
        Path root = dir.resolve("ADEChallengeData2016");
        Path img = root.resolve("images/training/ADE_train_00000001.jpg");
        Files.createDirectories(img.getParent());
        Files.write(img, Images.encodeJpeg(RgbImage.blank(8, 6), 90));
        Ade20kSceneParsing ade = new Ade20kSceneParsing(root);
        InputException e = assertThrows(InputException.class, () -> ade.pairs("training"));
        assertEquals(root.resolve("annotations/training/ADE_train_00000001.png"), e.file());
        assertThrows(InputException.class, () -> ade.pairs("validation"));
        assertThrows(InputException.class, () -> new Ade20kSceneParsing(dir.resolve("nothing")));
    }

    @Test
    void fullAde20kSegPngDecodesClassesAndInstances() {
        // class 300 = (R / 10) * 256 + G with R = 15 (-> 1) and G = 44; class 5 with R = 9 (-> 0), G = 5
        RgbImage seg = RgbImage.blank(4, 2);
        seg.setRgb(0, 0, 15 << 16 | 44 << 8 | 7);
        seg.setRgb(1, 0, 15 << 16 | 44 << 8 | 7);
        seg.setRgb(2, 0, 9 << 16 | 5 << 8 | 200);
        seg.setRgb(3, 0, 9 << 16 | 5 << 8 | 3);
        Path f = dir.resolve("ADE_frame_00000001_seg.png");
        Images.writePng(f, seg, 1, Map.of());
        Ade20kFullSeg d = Ade20kFullSeg.read(f);
        assertEquals(300, d.classes().get(0, 0));
        assertEquals(5, d.classes().get(2, 0));
        assertEquals(0, d.classes().get(0, 1));
        // distinct B values 0, 3, 7, 200 numbered in increasing order
        assertEquals(2, d.instances().get(0, 0));
        assertEquals(3, d.instances().get(2, 0));
        assertEquals(1, d.instances().get(3, 0));
        assertEquals(0, d.instances().get(0, 1));
        assertEquals(4, d.instanceCount());
    }
}
