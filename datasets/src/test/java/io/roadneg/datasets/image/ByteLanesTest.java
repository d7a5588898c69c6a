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
}
