package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

class ZlibAdlerTest {
    private static int jdk(byte[] b, int off, int len) {
        Adler32 a = new Adler32();
        a.update(b, off, len);
        return (int) a.getValue();
    }

    @Test
    void eightBytesAStepEqualsTheJdkForEveryLengthAndOffset() {
        Random r = new Random(5);
        for (int t = 0; t < 3000; t++) {
            byte[] b = new byte[r.nextInt(1200) + 8];
            if (t % 3 == 0) {
                Arrays.fill(b, (byte) 0xff); // the largest sums: every lane at its bound
            } else {
                r.nextBytes(b);
            }
            int off = r.nextInt(8);
            int len = r.nextInt(b.length - off + 1);
            assertEquals(jdk(b, off, len), ZlibAdler.swar(1, b, off, len), "length " + len + " from " + off);
        }
        assertEquals(1, ZlibAdler.swar(1, new byte[0], 0, 0), "nothing summed");
    }

    @Test
    void longInputsPastManyReductionsAndPiecewiseSumsAgree() {
        // 3 MB of 0xff: the per-block sums and the sums between two reductions at their largest, many times over
        byte[] ff = new byte[3 << 20];
        Arrays.fill(ff, (byte) 0xff);
        assertEquals(jdk(ff, 0, ff.length), ZlibAdler.swar(1, ff, 0, ff.length));
        byte[] b = new byte[1 << 20];
        new Random(9).nextBytes(b);
        assertEquals(jdk(b, 0, b.length), ZlibAdler.swar(1, b, 0, b.length));
        // continued piece by piece (rows of an image), both ways
        for (boolean swar : new boolean[] {false, true}) {
            boolean was = ZlibAdler.useSwar(swar);
            try {
                ZlibAdler.Running sum = ZlibAdler.start();
                for (int at = 0; at < b.length; at += 6145) {
                    sum.update(b, at, Math.min(6145, b.length - at));
                }
                assertEquals(jdk(b, 0, b.length), sum.value(), "in rows, swar " + swar);
                assertEquals(jdk(b, 3, 1000), ZlibAdler.of(b, 3, 1000), "swar " + swar);
            } finally {
                ZlibAdler.useSwar(was);
            }
        }
    }

    @Test
    void aRangeOutsideTheArrayIsRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> ZlibAdler.swar(1, new byte[10], 4, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> ZlibAdler.swar(1, new byte[10], -1, 2));
    }
}
