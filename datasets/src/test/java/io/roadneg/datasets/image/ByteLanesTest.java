package io.roadneg.datasets.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteLanesTest {
    @Test
    void everyPairOfBytesAddsAndSubtractsModulo256InEveryLane() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                // the pair in one lane, other pairs (each lane shifted) around it: no carry or borrow may leak
                long x = 0;
                long y = 0;
                for (int lane = 0; lane < 8; lane++) {
                    x |= (long) ((a + 37 * lane) & 0xff) << (8 * lane);
                    y |= (long) ((b + 101 * lane) & 0xff) << (8 * lane);
                }
                long sum = ByteLanes.add(x, y);
                long diff = ByteLanes.sub(x, y);
                for (int lane = 0; lane < 8; lane++) {
                    int xa = (int) (x >>> (8 * lane)) & 0xff;
                    int yb = (int) (y >>> (8 * lane)) & 0xff;
                    assertEquals((xa + yb) & 0xff, (int) (sum >>> (8 * lane)) & 0xff, xa + " + " + yb);
                    assertEquals((xa - yb) & 0xff, (int) (diff >>> (8 * lane)) & 0xff, xa + " - " + yb);
                }
            }
        }
    }

    @Test
    void photographRowsFilteredEightBytesAtATimeGiveThePlainUpFilterAndBack() {
        java.util.Random rnd = new java.util.Random(4);
        // strides around the four-long and one-long steps, and a frame's row
        for (int stride : new int[] {0, 1, 7, 8, 9, 31, 32, 33, 39, 40, 63, 64, 65, 95, 6144, 6147}) {
            byte[] rows = new byte[2 * stride + 3];
            rnd.nextBytes(rows);
            int prev = 3;
            int row = 3 + stride;
            byte[] plain = new byte[stride + 2];
            for (int i = 0; i < stride; i++) {
                plain[2 + i] = (byte) (rows[row + i] - rows[prev + i]);
            }
            byte[] lanes = new byte[stride + 2];
            ByteLanes.up(rows, row, prev, stride, lanes, 2);
            assertEquals(java.util.Arrays.toString(plain), java.util.Arrays.toString(lanes), "stride " + stride);
            byte[] back = rows.clone();
            System.arraycopy(lanes, 2, back, row, stride);
            ByteLanes.addUp(back, row, prev, stride);
            assertEquals(java.util.Arrays.toString(rows), java.util.Arrays.toString(back), "stride " + stride);
        }
    }

    @Test
    void nextNonZeroSkipsZerosAcrossTheComparisonChunks() {
        byte[] a = new byte[140_000];
        assertEquals(140_000, ByteLanes.nextNonZero(a, 0, a.length));
        assertEquals(5, ByteLanes.nextNonZero(a, 5, 5));
        // around the 65536-byte chunks the zeros are compared in
        for (int at : new int[] {0, 1, 65_535, 65_536, 65_537, 131_071, 139_999}) {
            a[at] = 3;
            assertEquals(at, ByteLanes.nextNonZero(a, 0, a.length));
            assertEquals(at, ByteLanes.nextNonZero(a, at, a.length));
            assertEquals(a.length, ByteLanes.nextNonZero(a, at + 1, a.length), "none after it");
            assertEquals(at, ByteLanes.nextNonZero(a, 0, at + 1));
            assertEquals(at, ByteLanes.nextNonZero(a, 0, at), "none before it: the end of the range");
            a[at] = 0;
        }
    }

    @Test
    void labelRowsFilteredByRunsGiveThePlainUpFilterAndBack() {
        java.util.Random rnd = new java.util.Random(8);
        // rows shorter and longer than the zeros the runs are copied from (64 KiB), mostly repeating the row above
        for (int stride : new int[] {1, 7, 16, 17, 2048, 4096, 70_001}) {
            byte[] rows = new byte[3 * stride + 5];
            for (int i = 0; i < stride; i++) {
                rows[5 + i] = (byte) (i / 37);
            }
            for (int r = 1; r < 3; r++) {
                for (int i = 0; i < stride; i++) {
                    int at = 5 + r * stride + i;
                    rows[at] = rnd.nextInt(50) == 0 ? (byte) rnd.nextInt(256) : rows[at - stride];
                }
            }
            int prev = 5 + stride;
            int row = 5 + 2 * stride;
            byte[] plain = new byte[stride + 3];
            byte[] runs = new byte[stride + 3];
            for (int i = 0; i < stride; i++) {
                plain[3 + i] = (byte) (rows[row + i] - rows[prev + i]);
            }
            java.util.Arrays.fill(runs, (byte) 99); // every byte is written, zeros included
            runs[0] = plain[0];
            runs[1] = plain[1];
            runs[2] = plain[2];
            ByteLanes.upRuns(rows, row, prev, stride, runs, 3);
            assertEquals(java.util.Arrays.toString(plain), java.util.Arrays.toString(runs), "stride " + stride);
            // through a table (several values to one answer): the plain filter of the mapped rows
            byte[] table = new byte[256];
            for (int v = 0; v < 256; v++) {
                table[v] = (byte) (v % 3 == 0 ? 255 : v % 5);
            }
            byte[] mappedPlain = new byte[stride];
            for (int i = 0; i < stride; i++) {
                mappedPlain[i] = (byte) (table[rows[row + i] & 0xff] - table[rows[prev + i] & 0xff]);
            }
            byte[] mappedRuns = new byte[stride + 1];
            java.util.Arrays.fill(mappedRuns, (byte) 99);
            ByteLanes.upRunsMapped(rows, row, prev, stride, table, mappedRuns, 1);
            assertEquals(java.util.Arrays.toString(mappedPlain),
                    java.util.Arrays.toString(java.util.Arrays.copyOfRange(mappedRuns, 1, stride + 1)),
                    "mapped, stride " + stride);
            assertEquals(99, mappedRuns[0]);
            // and back: the filtered row added to the row above in place gives the row
            byte[] back = rows.clone();
            System.arraycopy(runs, 3, back, row, stride);
            ByteLanes.addUpRuns(back, row, prev, stride);
            assertEquals(java.util.Arrays.toString(rows), java.util.Arrays.toString(back), "stride " + stride);
        }
    }
}
