package io.roadneg.pasting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompositorTest {

    private static Scene scene(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRgb(x, y, 0x404040);
            }
        }
        LabelMap train = LabelMap.filled(w, h, 0);
        train.set(0, 0, 255); // a void pixel
        LabelMap ids = LabelMap.filled(w, h, 7);
        LabelMap inst = LabelMap.filled(w, h, 7);
        for (int x = 4; x < w; x++) {
            inst.set(x, h - 1, 26001); // a car instance along the bottom row
            ids.set(x, h - 1, 26);
            train.set(x, h - 1, 13);
        }
        return new Scene(img, train, ids, inst);
    }

    private static PasteObject square(int size, int rgb, String id) {
        RgbImage img = RgbImage.blank(size, size);
        byte[] mask = new byte[size * size];
        for (int i = 0; i < mask.length; i++) {
            img.setRgb(i % size, i / size, rgb);
            mask[i] = 1;
        }
        return new PasteObject(img, mask, id, 18, "dog");
    }

    private static Placement at(int x, int y, BlendMode blend) {
        return new Placement("test", "item", Map.of(), 1.0, 0, false, x, y, blend, 2.0, 0, 1.0);
    }

    @Test
    void hardPasteWritesPixelsAndEveryLabel() {
        Scene s = scene(10, 6);
        PasteResult r = new Compositor(254, 250).apply(s, List.of(square(3, 0xff0000, "coco:1")),
                List.of(at(2, 1, BlendMode.HARD)));
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                boolean in = x >= 2 && x < 5 && y >= 1 && y < 4;
                assertEquals(in ? 0xff0000 : 0x404040, r.image().rgb(x, y), x + "," + y);
                assertEquals(in ? 254 : s.trainIds().get(x, y), r.trainIds().get(x, y));
                assertEquals(in ? 250 : s.labelIds().get(x, y), r.labelIds().get(x, y));
                int ood = in ? 1 : (x == 0 && y == 0 ? 255 : 0);
                assertEquals(ood, r.ood().get(x, y));
            }
        }
        assertEquals(0x404040, s.image().rgb(3, 2), "the scene itself is not modified");
        assertEquals(1, r.instances().size());
        assertEquals(9, r.instances().get(0).visible().area());
        assertArrayEquals(new double[] {2, 1, 3, 3}, r.instances().get(0).visible().bbox());
    }

    @Test
    void inPlacePaintsTheScenesOwnBuffersWithTheSameResult() {
        List<PasteObject> objs = List.of(square(3, 0xff0000, "a"), square(4, 0x00ff00, "b"));
        List<Placement> at = List.of(at(2, 1, BlendMode.HARD), at(6, 3, BlendMode.FEATHER));
        PasteResult copied = new Compositor(254, 250).apply(scene(12, 8), objs, at);
        Scene s = scene(12, 8);
        PasteResult inPlace = new Compositor(254, 250).applyInPlace(s, objs, at);
        assertArrayEquals(copied.image().data(), inPlace.image().data());
        assertEquals(copied.trainIds(), inPlace.trainIds());
        assertEquals(copied.labelIds(), inPlace.labelIds());
        assertEquals(copied.instanceIds(), inPlace.instanceIds());
        assertEquals(copied.ood(), inPlace.ood());
        assertEquals(copied.instances().size(), inPlace.instances().size());
        assertSame(s.image().data(), inPlace.image().data(), "no copy of the image");
        assertSame(s.trainIds().data(), inPlace.trainIds().data(), "no copy of the trainIds");
        assertEquals(254, s.trainIds().get(3, 2));
    }

    @Test
    void laterObjectsOccludeEarlierOnesAndCoveredInstancesLosePixels() {
        Scene s = scene(10, 6);
        PasteResult r = new Compositor().apply(s, List.of(square(3, 0xff0000, "a"), square(3, 0x00ff00, "b")),
                List.of(at(4, 2, BlendMode.HARD), at(5, 3, BlendMode.HARD)));
        assertEquals(0x00ff00, r.image().rgb(5, 3));
        assertEquals(2, r.instances().size());
        assertEquals(9 - 4, r.instances().get(0).visible().area(), "a loses the 2x2 overlap");
        assertEquals(9, r.instances().get(1).visible().area());
        assertEquals(254, r.instanceIds().get(6, 5), "the car pixel under b becomes outlier");
        assertEquals(26001, r.instanceIds().get(9, 5), "the rest of the car keeps its instance id");
        // an object hidden completely is dropped from the instance list
        PasteResult hidden = new Compositor().apply(s, List.of(square(2, 0xff0000, "a"), square(3, 0x00ff00, "b")),
                List.of(at(5, 3, BlendMode.HARD), at(5, 3, BlendMode.HARD)));
        assertEquals(1, hidden.instances().size());
        assertEquals("b", hidden.instances().get(0).sourceId());
    }

    @Test
    void objectsAreClippedAtTheBorderAndOutsideOnesIgnored() {
        Scene s = scene(10, 6);
        PasteResult r = new Compositor().apply(s, List.of(square(4, 0xff0000, "a"), square(2, 0xff0000, "b")),
                List.of(at(-2, 4, BlendMode.HARD), at(20, 20, BlendMode.HARD)));
        assertEquals(4, r.instances().get(0).visible().area());
        assertEquals(1, r.instances().size());
        assertEquals(254, r.trainIds().get(0, 5));
        assertEquals(255, r.trainIds().get(0, 0));
    }

    @Test
    void featherFadesTheEdgeOnlyInsideTheMask() {
        Scene s = scene(40, 40);
        PasteResult r = new Compositor().apply(s, List.of(square(20, 0xffffff, "a")),
                List.of(at(10, 10, BlendMode.FEATHER)));
        assertEquals(0xffffff, r.image().rgb(20, 20), "opaque in the middle");
        int edge = r.image().get(10, 20, 0);
        assertTrue(edge > 0x40 && edge < 0xff, "blended at the border: " + edge);
        assertEquals(0x404040, r.image().rgb(9, 20), "nothing outside the mask");
        assertEquals(254, r.trainIds().get(10, 20), "the label is the binary mask");
        assertEquals(400, r.instances().get(0).visible().area());
    }

    @Test
    void poissonChangesOnlyMaskPixels() {
        Scene s = scene(40, 30);
        PasteResult r = new Compositor().apply(s, List.of(square(10, 0xc08020, "a")),
                List.of(at(12, 8, BlendMode.POISSON)));
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean in = x >= 12 && x < 22 && y >= 8 && y < 18;
                if (!in) {
                    assertEquals(s.image().rgb(x, y), r.image().rgb(x, y), x + "," + y);
                }
            }
        }
        // a flat-coloured source cloned into a flat destination takes the destination's colour
        assertEquals(0x40, r.image().get(17, 13, 0), 2);
        assertEquals(100, r.instances().get(0).visible().area());
        // at the image border the clone cannot work: the pixels there are pasted hard
        PasteResult border = new Compositor().apply(s, List.of(square(10, 0xc08020, "a")),
                List.of(at(-3, -3, BlendMode.POISSON)));
        assertEquals(0xc08020, border.image().rgb(0, 3));
    }

    @Test
    void colourMatchMovesMeanTowardsTheDestination() {
        Scene s = scene(20, 20);
        Placement p = new Placement("t", "i", Map.of(), 1.0, 0, false, 5, 5, BlendMode.HARD, 0, 1.0, 1.0);
        PasteResult r = new Compositor().apply(s, List.of(square(6, 0xf0f0f0, "a")), List.of(p));
        assertEquals(0x404040, r.image().rgb(7, 7), "full matching to a flat scene gives its colour");
        Placement half = new Placement("t", "i", Map.of(), 1.0, 0, false, 5, 5, BlendMode.HARD, 0, 0.5, 1.0);
        int v = new Compositor().apply(s, List.of(square(6, 0xf0f0f0, "a")), List.of(half)).image().get(7, 7, 0);
        assertEquals((0xf0 + 0x40) / 2, v);
    }

    @Test
    void transformsFlipScaleAndRotate() {
        RgbImage img = RgbImage.blank(4, 2);
        img.setRgb(0, 0, 0xff0000);
        byte[] mask = {1, 1, 1, 0, 1, 1, 1, 1};
        PasteObject o = new PasteObject(img, mask, "x", -1, "outlier");
        PasteObject f = ObjectTransforms.apply(o, 1.0, 0, true);
        assertEquals(0xff0000, f.rgb().rgb(3, 0));
        assertEquals(0, f.mask()[0]);
        PasteObject sc = ObjectTransforms.apply(o, 2.0, 0, false);
        assertEquals(8, sc.rgb().width());
        assertEquals(4, sc.rgb().height());
        PasteObject rot = ObjectTransforms.apply(o, 1.0, 90, false);
        assertEquals(2, rot.rgb().width());
        assertEquals(4, rot.rgb().height());
        assertEquals(7, rot.area(), "a quarter turn keeps every mask pixel");
        assertArrayEquals(new int[] {3, 3}, ObjectTransforms.outputSize(2, 2, 1.0, 45));
    }

    @Test
    void boxMaskRleEqualsTheFullImageEncoding() {
        Random rnd = new Random(3);
        for (int t = 0; t < 50; t++) {
            int iw = 5 + rnd.nextInt(20);
            int ih = 5 + rnd.nextInt(20);
            int bw = 1 + rnd.nextInt(iw);
            int bh = 1 + rnd.nextInt(ih);
            int bx = rnd.nextInt(iw - bw + 1);
            int by = rnd.nextInt(ih - bh + 1);
            byte[] bits = new byte[bw * bh];
            byte[] full = new byte[iw * ih];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = (byte) (rnd.nextBoolean() ? 1 : 0);
                full[(by + i / bw) * iw + bx + i % bw] = bits[i];
            }
            assertEquals(Rle.fromRowMajor(full, ih, iw), new BoxMask(bx, by, bw, bh, bits).toRle(ih, iw));
        }
    }

    @Test
    void roadGeometryFindsTheHorizonOfATrapezoid() {
        int w = 200;
        int h = 100;
        LabelMap train = LabelMap.filled(w, h, 2);
        for (int y = 40; y < h; y++) {
            int half = y - 30; // width 2 * (y - 30): vanishes at row 30
            for (int x = 100 - half; x < 100 + half; x++) {
                train.set(x, y, 0);
            }
        }
        RoadGeometry g = RoadGeometry.fit(train, new int[] {0});
        assertEquals(30.0, g.horizon(), 1e-9);
        assertEquals(35.0, g.objectHeightAt(100, 0.5), 1e-9);
        int[] p = g.samplePoint(new Random(1));
        assertEquals(0, train.get(p[0], p[1]));
        assertThrows(RoadGeometry.NoRoadException.class, () -> RoadGeometry.fit(LabelMap.filled(4, 4, 2),
                new int[] {0}));
    }

    /** The scene with its maps stored as PNG samples: 8-bit train and label ids, 16-bit instance ids. */
    private static Scene bytesScene(Scene s) {
        LabelMap inst = s.instanceIds();
        byte[] b16 = new byte[2 * inst.width() * inst.height()];
        for (int i = 0; i < inst.data().length; i++) {
            b16[2 * i] = (byte) (inst.data()[i] >>> 8);
            b16[2 * i + 1] = (byte) inst.data()[i];
        }
        return new Scene(s.image(), asBytes(s.trainIds()), asBytes(s.labelIds()),
                LabelMap.ofBytes16(inst.width(), inst.height(), b16));
    }

    private static LabelMap asBytes(LabelMap m) {
        byte[] b = new byte[m.width() * m.height()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) m.data()[i];
        }
        return LabelMap.ofBytes(m.width(), m.height(), b);
    }

    @Test
    void mapsStoredAsSamplesArePaintedAsSamplesWithTheSameValues() {
        List<PasteObject> objs = List.of(square(3, 0xff0000, "a"), square(4, 0x00ff00, "b"));
        List<Placement> at = List.of(at(2, 1, BlendMode.HARD), at(6, 3, BlendMode.FEATHER));
        Compositor c = new Compositor(254, 250);
        PasteResult ints = c.applyInPlaceWithoutOod(scene(12, 8), objs, at);
        Scene s = bytesScene(scene(12, 8));
        byte[] train = s.trainIds().bytes();
        PasteResult bytes = c.applyInPlaceWithoutOod(s, objs, at);
        assertSame(train, bytes.trainIds().bytes(), "painted in its bytes, not widened");
        assertTrue(bytes.labelIds().bytes() != null);
        assertTrue(bytes.instanceIds().bytes16() != null, "16-bit samples painted as such");
        assertEquals(ints.trainIds(), bytes.trainIds());
        assertEquals(ints.labelIds(), bytes.labelIds());
        assertEquals(ints.instanceIds(), bytes.instanceIds());
        // the anomaly labels of bytes, row by row, as of ints: for every byte value and several outlier ids
        for (int outlier : new int[] {254, 255, 0, 1}) {
            io.roadneg.datasets.image.PngEncoder.RowMapper m = new Compositor(outlier, 250).oodRows();
            int[] v = new int[256];
            byte[] b = new byte[256];
            for (int i = 0; i < 256; i++) {
                v[i] = i;
                b[i] = (byte) i;
            }
            int[] expect = new int[256];
            m.map(v, 0, 256, expect, 0);
            byte[] got = new byte[260];
            m.bytes().map(b, 0, 256, got, 4);
            for (int i = 0; i < 256; i++) {
                assertEquals(expect[i], got[4 + i] & 0xff, "outlier " + outlier + ", value " + i);
            }
        }
        // the road fit reads the bytes as they are
        LabelMap road = LabelMap.filled(200, 100, 2);
        for (int y = 40; y < 100; y++) {
            for (int x = 100 - (y - 30); x < 100 + (y - 30); x++) {
                road.set(x, y, 0);
            }
        }
        LabelMap roadBytes = asBytes(road);
        assertEquals(RoadGeometry.fit(road, new int[] {0}).horizon(), RoadGeometry.fit(roadBytes, new int[] {0})
                .horizon(), 1e-12);
        assertTrue(roadBytes.bytes() != null, "not widened by the fit");
    }

    @Test
    void mismatchedPlansAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Compositor().apply(scene(4, 4), List.of(),
                List.of(at(0, 0, BlendMode.HARD))));
        assertThrows(IllegalArgumentException.class, () -> new Scene(RgbImage.blank(4, 4), LabelMap.filled(4, 5, 0),
                null, null));
        assertNotEquals(0, new Placement("t", "i", null, 1, 0, false, 0, 0, BlendMode.HARD, 0, 0, 1).scale());
    }

    @Test
    void theBranchFreeOodMapEqualsTheRule() {
        int[] values = new int[70_000 + 6];
        for (int i = 0; i < 70_000; i++) {
            values[i] = i;
        }
        int[] odd = {-1, -255, Integer.MIN_VALUE, Integer.MAX_VALUE, 255 ^ Integer.MIN_VALUE, -256};
        System.arraycopy(odd, 0, values, 70_000, odd.length);
        for (int outlier : new int[] {0, 19, 50, 254, 255, 65535, -1}) {
            int[] o = new int[values.length];
            Compositor.oodValues(values, 0, values.length, o, 0, outlier);
            for (int i = 0; i < values.length; i++) {
                int v = values[i];
                int want = v == outlier ? io.roadneg.datasets.LabelValues.ANOMALY
                        : v == io.roadneg.datasets.LabelValues.VOID ? io.roadneg.datasets.LabelValues.VOID
                        : io.roadneg.datasets.LabelValues.INLIER;
                assertEquals(want, o[i], "value " + v + ", outlier id " + outlier);
            }
        }
    }
}
