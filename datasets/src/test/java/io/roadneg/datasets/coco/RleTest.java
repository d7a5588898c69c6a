package io.roadneg.datasets.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RleTest {

    @Test
    void encodesTheNotesExampleMaskColumnMajor() {
        // h=3, w=4 rows [[0,1,1,0],[0,1,1,0],[0,0,1,1]]
        byte[] mask = {0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1};
        Rle rle = Rle.fromRowMajor(mask, 3, 4);
        assertArrayEquals(new long[] {3, 2, 1, 3, 2, 1}, rle.counts());
        assertEquals("32111N", rle.toCompressedString());
        assertEquals(6, rle.area());
        assertArrayEquals(mask, rle.toRowMajor());
    }

    @Test
    void compressedStringVectorsFromPycocotools() {
        assertEquals("061", new Rle(1, 7, new long[] {0, 6, 1}).toCompressedString());
        assertEquals("PeQ337", new Rle(1, 100010, new long[] {100000, 3, 7}).toCompressedString());
        assertEquals("231N", new Rle(1, 7, new long[] {2, 3, 1, 1}).toCompressedString());
        assertArrayEquals(new long[] {3, 2, 1, 3, 2, 1}, Rle.decodeCounts("32111N"));
        assertArrayEquals(new long[] {0, 6, 1}, Rle.decodeCounts("061"));
        assertArrayEquals(new long[] {100000, 3, 7}, Rle.decodeCounts("PeQ337"));
        assertArrayEquals(new long[] {2, 3, 1, 1}, Rle.decodeCounts("231N"));
    }

    @Test
    void randomMasksRoundTripThroughTheString() {
        Random rnd = new Random(7);
        for (int t = 0; t < 200; t++) {
            int h = 1 + rnd.nextInt(40);
            int w = 1 + rnd.nextInt(40);
            byte[] m = new byte[h * w];
            double p = rnd.nextDouble();
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (rnd.nextDouble() < p ? 1 : 0);
            }
            Rle rle = Rle.fromRowMajor(m, h, w);
            Rle back = Rle.fromCompressedString(rle.toCompressedString(), h, w);
            assertEquals(rle, back);
            assertArrayEquals(m, back.toRowMajor());
        }
    }

    @Test
    void bboxMatchesTheMaskExtent() {
        byte[] mask = new byte[5 * 6];
        mask[1 * 6 + 2] = 1;
        mask[3 * 6 + 4] = 1;
        Rle rle = Rle.fromRowMajor(mask, 5, 6);
        assertArrayEquals(new double[] {2, 1, 3, 3}, rle.bbox());
        assertArrayEquals(new double[4], Rle.fromRowMajor(new byte[4], 2, 2).bbox());
    }

    @Test
    void countsThatDoNotSumToTheSizeAreRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Rle.fromCompressedString("32111N", 3, 5));
        assertEquals("RLE counts sum to 12 but size 3x5 needs 15", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rle.decodeCounts("3~"));
    }

    @Test
    void unionOrsMasks() {
        Rle a = Rle.fromRowMajor(new byte[] {1, 0, 0, 0}, 2, 2);
        Rle b = Rle.fromRowMajor(new byte[] {0, 0, 0, 1}, 2, 2);
        assertArrayEquals(new byte[] {1, 0, 0, 1}, Rle.union(List.of(a, b), 2, 2).toRowMajor());
    }
}
