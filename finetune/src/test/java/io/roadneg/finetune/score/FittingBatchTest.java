package io.roadneg.finetune.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FittingBatchTest {
    private static final long MB = 1L << 20;

    @Test
    void batchIsLoweredToWhatThreeQuartersOfTheAvailableMemoryHolds() {
        // one frame's worth is already held; three quarters of 8 GB hold 10 more frames of 550 MB
        assertEquals(12, ScoreJob.fittingBatch(64, 550 * MB, 8192 * MB));
        assertEquals(8, ScoreJob.fittingBatch(8, 550 * MB, 8192 * MB));
        assertEquals(1, ScoreJob.fittingBatch(16, 550 * MB, 100 * MB));
        assertEquals(1, ScoreJob.fittingBatch(16, 550 * MB, 0));
    }

    @Test
    void unknownSizesLeaveTheBatch() {
        assertEquals(16, ScoreJob.fittingBatch(16, -1, 8192 * MB));
        assertEquals(16, ScoreJob.fittingBatch(16, 0, 8192 * MB));
        assertEquals(16, ScoreJob.fittingBatch(16, 550 * MB, -1));
        assertEquals(Integer.MAX_VALUE, ScoreJob.fittingBatch(Integer.MAX_VALUE, 1, Long.MAX_VALUE));
    }
}
