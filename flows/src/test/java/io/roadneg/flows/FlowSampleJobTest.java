package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlowSampleJobTest {
    @Test
    void theGridShowsTheFirstSamplesUpToItsItemAndPixelBounds() {
        assertEquals(3, FlowSampleJob.gridItems(3, 16), "a few samples: all of them");
        assertEquals(1024, FlowSampleJob.gridItems(100_000, 64), "a grid of 100,000 would be 21,000 px a side");
        assertEquals(63, FlowSampleJob.gridItems(1024, 1024), "8192^2 / 1026^2 tiles of 1024 x 1024");
        assertEquals(1, FlowSampleJob.gridItems(5, 10_000), "one tile however large");
    }
}
