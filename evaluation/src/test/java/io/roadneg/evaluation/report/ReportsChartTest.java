package io.roadneg.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The thinning of a plotted curve and the chart files. */
class ReportsChartTest {
    @TempDir
    Path dir;

    /** Distance in pixels from point i to the segment between kept points a and b. */
    private static double distPx(double[] xs, double[] ys, int a, int b, int i, int w, int h) {
        double ax = xs[a] * w;
        double ay = ys[a] * h;
        double dx = xs[b] * w - ax;
        double dy = ys[b] * h - ay;
        double px = xs[i] * w - ax;
        double py = ys[i] * h - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        return Math.hypot(px - t * dx, py - t * dy);
    }

    @Test
    void everyDroppedPointLiesWithinTheToleranceOfTheDrawnLine() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(3000);
            double[] xs = new double[n];
            double[] ys = new double[n];
            double x = 0;
            double y = 0;
            for (int i = 0; i < n; i++) { // a monotone ROC-like staircase with noise, and PR-like sawteeth
                x += r.nextDouble() / n;
                y = trial % 2 == 0 ? Math.min(1, y + r.nextDouble() / n * 2) : 0.02 + 0.98 * r.nextDouble() * (1 - x);
                xs[i] = x;
                ys[i] = y;
            }
            int[] keep = Reports.visible(xs, ys, 640, 480, Reports.CHART_TOLERANCE_PX);
            assertEquals(0, keep[0]);
            assertEquals(n - 1, keep[keep.length - 1]);
            for (int k = 0; k + 1 < keep.length; k++) {
                assertTrue(keep[k] < keep[k + 1], "kept in order");
                for (int i = keep[k] + 1; i < keep[k + 1]; i++) {
                    double d = distPx(xs, ys, keep[k], keep[k + 1], i, 640, 480);
                    assertTrue(d <= Reports.CHART_TOLERANCE_PX + 1e-9, "point " + i + " is " + d + " px off");
                }
            }
        }
    }

    @Test
    void aStraightLineKeepsItsEndsAndACornerItsCorner() {
        double[] xs = new double[1001];
        double[] ys = new double[1001];
        for (int i = 0; i <= 1000; i++) {
            xs[i] = i / 1000.0;
            ys[i] = i / 1000.0;
        }
        assertArrayEquals(new int[] {0, 1000}, Reports.visible(xs, ys, 640, 480, 0.25));
        double[] cx = {0, 0, 0, 0.5, 1};
        double[] cy = {0, 0.5, 1, 1, 1};
        assertArrayEquals(new int[] {0, 2, 4}, Reports.visible(cx, cy, 640, 480, 0.25));
        assertArrayEquals(new int[] {0}, Reports.visible(new double[] {0.3}, new double[] {0.4}, 640, 480, 0.25));
    }

    @Test
    void chartsAreWrittenAsPngAndSvg() throws Exception {
        XYChart c = new XYChartBuilder().width(320).height(240).title("t").build();
        c.addSeries("s", new double[] {0, 0.5, 1}, new double[] {0, 1, 0});
        Reports.save(c, dir.resolve("chart"));
        RgbImage png = Images.readRgb(dir.resolve("chart.png"));
        assertEquals(320, png.width());
        assertEquals(240, png.height());
        String svg = Files.readString(dir.resolve("chart.svg"));
        assertTrue(svg.contains("<svg") && svg.trim().endsWith("</svg>"), svg.substring(0, Math.min(200, svg.length())));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left");
        }
    }
}
