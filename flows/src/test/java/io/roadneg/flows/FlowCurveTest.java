package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowCurveTest {
    @TempDir
    Path run;

    @Test
    void runningMeanAveragesTheLastWindow() {
        assertArrayEquals(new double[] {1, 1.5, 2, 3, 4}, FlowCurve.runningMean(new double[] {1, 2, 3, 4, 5}, 3),
                1e-12);
    }

    @Test
    void drawsTheCurveFromTheRunsLogsAndSkipsTornOrNonFiniteLines() throws Exception {
        StringBuilder train = new StringBuilder();
        for (int s = 1; s <= 40; s++) {
            train.append("{\"step\":").append(s).append(",\"bitsPerDim\":").append(8.0 - s * 0.1).append("}\n");
        }
        train.append("{\"step\":41,\"bitsPerDim\":\"NaN\"}\n\n");
        Files.writeString(run.resolve(FlowTrainer.TRAIN_LOG), train);
        Files.writeString(run.resolve(FlowTrainer.VALIDATION_LOG),
                "{\"step\":20,\"bitsPerDim\":6.1,\"pngBitsPerDim\":4.9}\n"
                        + "{\"step\":40,\"bitsPerDim\":4.7,\"pngBitsPerDim\":4.9}\n");
        assertEquals(40, FlowCurve.points(run.resolve(FlowTrainer.TRAIN_LOG), "bitsPerDim").size());
        Path png = FlowCurve.write(run);
        assertEquals(run.resolve(FlowCurve.FILE), png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(720, img.getWidth());
        assertEquals(420, img.getHeight());
        try (var files = Files.list(run)) {
            assertEquals(3, files.count(), "no temp file left beside the curve");
        }
    }

    @Test
    void aRunWithoutLogsHasNoCurve() {
        assertNull(FlowCurve.write(run));
    }
}
