package io.roadneg.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void equalsStringFormatForEveryWidthAndSign() {
        long[] edge = {0, 1, -1, 9, 10, -10, 99_999, 100_000, 999_999, 1_000_000, -999_999, Integer.MAX_VALUE,
                Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 123_456_789_012L};
        SplittableRandom r = new SplittableRandom(7);
        for (int width = 1; width <= 21; width++) {
            for (long v : edge) {
                assertEquals(String.format(Locale.ROOT, "%0" + width + "d", v), Names.zeroPad(v, width),
                        "value " + v + " width " + width);
            }
            for (int i = 0; i < 200; i++) {
                long v = r.nextLong() >> r.nextInt(64);
                assertEquals(String.format(Locale.ROOT, "%0" + width + "d", v), Names.zeroPad(v, width),
                        "value " + v + " width " + width);
            }
        }
    }

    @Test
    void appendsAfterWhatIsThere() {
        StringBuilder sb = new StringBuilder("aachen_");
        Names.appendZeroPadded(sb, 42, 6).append('_');
        Names.appendZeroPadded(sb, 19, 6);
        assertEquals("aachen_000042_000019", sb.toString());
    }
}
