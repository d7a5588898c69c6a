package io.roadneg.cli;

import io.roadneg.evaluation.report.Reports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The ablation's plots (PNG and SVG, with the charting library of {@code gen eval}), one set per loss and score:
 * grouped bars of AP per benchmark and their mean with the seeds' standard deviation as error bars, the PR curves of
 * every source overlaid per benchmark (each source's first finished seed in grid order, from its cell's
 * {@code curve.csv}), and closed-set mIoU against mean AP (one point per seed; left out when no run validated).
 */
final class AblationPlots {
    /** The plot folder inside the ablation folder. */
    static final String DIR = "plots";

    private AblationPlots() {
    }

    /** A written plot: its base name (without extension), a caption, and whether it is a PNG only (a picture). */
    record Plot(String name, String caption, boolean pngOnly) {
        Plot(String name, String caption) {
            this(name, caption, false);
        }
    }

    /** Writes every plot into {@code out/plots/}; returns them in page order. */
    static List<Plot> write(AblationReport report, Map<AblationReport.Row, AblationReport.Stats> stats,
            AblationGrid grid, Path out) {
        Path dir = out.resolve(DIR);
        List<Plot> plots = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (String loss : grid.losses()) {
                for (String score : grid.scoresOf(loss)) {
                    List<AblationReport.Row> rows = stats.keySet().stream().filter(r -> r.loss().equals(loss)
                            && r.score().equals(score)).toList();
                    String tag = AblationReport.fileTag(loss + "-" + score);
                    plots.add(bars(rows, stats, grid, dir, tag, loss, score));
                    for (String b : grid.benchmarks()) {
                        Plot p = pr(report, rows, dir, b, tag, loss, score);
                        if (p != null) {
                            plots.add(p);
                        }
                    }
                    Plot m = miouAgainstAp(rows, stats, dir, tag, loss, score);
                    if (m != null) {
                        plots.add(m);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plots into " + dir + ": " + e.getMessage(), e);
        }
        return plots;
    }

    /** A row's series name: the source, with its area control when it has one other than the recipe's. */
    static String series(AblationReport.Row r) {
        return r.area().equals(Ablation.NO_AREA) || r.area().equals(AblationGrid.RECIPE) ? r.source()
                : r.source() + " (" + r.area() + ")";
    }

    private static Plot bars(List<AblationReport.Row> rows, Map<AblationReport.Row, AblationReport.Stats> stats,
            AblationGrid grid, Path dir, String tag, String loss, String score) throws IOException {
        List<String> x = new ArrayList<>(grid.benchmarks());
        x.add(AblationReport.MEAN);
        CategoryChart c = new CategoryChartBuilder().width(900).height(480).title("AP per benchmark (" + loss
                + ", score " + score + ")").xAxisTitle("benchmark").yAxisTitle("AP, mean ± sd over seeds").build();
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (AblationReport.Row r : rows) {
            List<Double> y = new ArrayList<>();
            List<Double> e = new ArrayList<>();
            for (String b : x) {
                List<Double> v = stats.get(r).of(b, "ap");
                double m = AblationReport.mean(v);
                double sd = AblationReport.sd(v);
                y.add(Double.isFinite(m) ? m : 0.0);
                e.add(Double.isFinite(sd) ? sd : 0.0);
            }
            c.addSeries(series(r), x, y, e);
        }
        String name = "bars-" + tag;
        Reports.save(c, dir.resolve(name));
        return new Plot(name, "AP per benchmark and their mean (" + loss + ", score " + score
                + "); bars are the mean over seeds, error bars one sample sd (none for one seed; an undefined AP "
                + "shows as 0)");
    }

    private static Plot pr(AblationReport report, List<AblationReport.Row> rows, Path dir, String bench, String tag,
            String loss, String score) throws IOException {
        XYChart c = new XYChartBuilder().width(640).height(480).title("PR, " + bench + " (" + loss + ", score "
                + score + ")").xAxisTitle("recall").yAxisTitle("precision").build();
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int n = 0;
        for (AblationReport.Row r : rows) {
            List<Ablation.Cell> done = report.finished(r);
            if (done.isEmpty()) {
                continue;
            }
            Ablation.Cell cell = done.get(0);
            Path csv = cell.eval(bench, score).resolve(Reports.CURVE_FILE);
            if (!Files.isRegularFile(csv)) {
                continue; // an evaluation with an undefined curve (one class missing) writes none
            }
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            double[] rec = new double[lines.size() - 1];
            double[] prec = new double[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                rec[i - 1] = Double.parseDouble(f[1]);
                prec[i - 1] = Double.parseDouble(f[3]);
            }
            if (rec.length == 0) {
                continue;
            }
            XYSeries s = c.addSeries(series(r) + " s" + cell.seed(), rec, prec);
            s.setMarker(SeriesMarkers.NONE);
            n++;
        }
        if (n == 0) {
            return null;
        }
        String name = "pr-" + AblationReport.fileTag(bench) + "-" + tag;
        Reports.save(c, dir.resolve(name));
        return new Plot(name, "PR curves on " + bench + " (" + loss + ", score " + score + "), each source's first "
                + "finished seed");
    }

    private static Plot miouAgainstAp(List<AblationReport.Row> rows,
            Map<AblationReport.Row, AblationReport.Stats> stats, Path dir, String tag, String loss, String score)
            throws IOException {
        XYChart c = new XYChartBuilder().width(640).height(480).title("mIoU against mean AP (" + loss + ", score "
                + score + ")").xAxisTitle("mean AP over benchmarks").yAxisTitle("closed-set mIoU").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(8);
        int n = 0;
        for (AblationReport.Row r : rows) {
            AblationReport.Stats s = stats.get(r);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.seeds().size(); i++) {
                double ap = s.of(AblationReport.MEAN, "ap").get(i);
                double miou = s.miou().get(i);
                if (Double.isFinite(ap) && Double.isFinite(miou)) {
                    xs.add(ap);
                    ys.add(miou);
                }
            }
            if (!xs.isEmpty()) {
                c.addSeries(series(r), xs, ys);
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        String name = "miou-ap-" + tag;
        Reports.save(c, dir.resolve(name));
        return new Plot(name, "Closed-set mIoU against mean AP over the benchmarks (" + loss + ", score " + score
                + "), one point per seed");
    }
}
