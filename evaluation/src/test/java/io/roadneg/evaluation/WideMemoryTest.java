package io.roadneg.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WideMemoryTest {
    private static final long GB = 1L << 30;

    @Test
    void aSplitThatFitsTheHeapPasses() {
        // 24 frames of 2048x1024: 0.375 GB of keys in a 4 GB heap; 180 such frames fill 2.8 of its 3.2 usable GB
        assertNull(Evaluation.wideMemoryProblem(2048 * 1024, 24, 4 * GB));
        assertNull(Evaluation.wideMemoryProblem(2048 * 1024, 180, 4 * GB));
    }

    @Test
    void aSplitPastTheHeapIsRefusedWithWhatToDo() {
        // Lost&Found's test split: 1203 frames of 2048x1024
        assertEquals("float64 scores are ranked as doubles, at 8 bytes a pixel: 1203 frames of 2097152 valid pixels "
                + "need about 18.8 GB of heap and this one has 4.0 GB; save the maps as float32 "
                + "(score.astype(np.float32)) or give the heap more (GEN_HEAP=25g gen eval ...)",
                Evaluation.wideMemoryProblem(2048 * 1024, 1203, 4 * GB));
    }
}
