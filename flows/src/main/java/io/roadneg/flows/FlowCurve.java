package io.roadneg.flows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curve of a flow run, drawn from its own logs: training bits/dim per step (and its running mean over
 * {@link #WINDOW} steps), held-out bits/dim per epoch, and PNG's size of the same held-out crops (level 9) as the
 * line to get under. {@code gen flow train} redraws {@code RUN/bits-per-dim.png} after every epoch, so a resumed run
 * has the whole curve.
 */
public final class FlowCurve {
    /** The curve's file in a run folder. */
    public static final String FILE = "bits-per-dim.png";
    /** Steps of the training curve's running mean. */
    static final int WINDOW = 25;

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowCurve() {
    }

    /** Writes {@code run/bits-per-dim.png} (atomically) from {@code train.jsonl} and {@code validation.jsonl}. */
    public static Path write(Path run) {
        List<double[]> train = points(run.resolve(FlowTrainer.TRAIN_LOG), "bitsPerDim");
        List<double[]> held = points(run.resolve(FlowTrainer.VALIDATION_LOG), "bitsPerDim");
        List<double[]> png = points(run.resolve(FlowTrainer.VALIDATION_LOG), "pngBitsPerDim");
        XYChart c = new XYChartBuilder().width(720).height(420).title("DenseFlow bits/dim: " + run.getFileName())
                .xAxisTitle("step").yAxisTitle("bits per dimension").build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        if (!train.isEmpty()) {
            XYSeries s = c.addSeries("training batch", column(train, 0), column(train, 1));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(150, 170, 220));
            s.setLineWidth(0.8f);
            XYSeries m = c.addSeries("training, mean of " + WINDOW + " steps", column(train, 0),
                    runningMean(column(train, 1), WINDOW));
            m.setMarker(SeriesMarkers.NONE);
            m.setLineColor(new Color(30, 70, 170));
        }
        if (!held.isEmpty()) {
            XYSeries h = c.addSeries("held-out crops", column(held, 0), column(held, 1));
            h.setMarker(SeriesMarkers.CIRCLE);
            h.setLineColor(new Color(200, 60, 30));
            h.setMarkerColor(new Color(200, 60, 30));
            double level = png.get(png.size() - 1)[1];
            double last = train.isEmpty() ? held.get(held.size() - 1)[0] : train.get(train.size() - 1)[0];
            // XChart puts its ticks on the data's own x values when all of them are equally spaced (every step
            // here), which gave ticks 201 steps apart: the reference line ending half a step after the last step
            // breaks the even spacing, and the axis gets round ticks
            XYSeries p = c.addSeries(String.format("PNG level 9, same held-out crops (%.3f)", level),
                    new double[] {0, last + 0.5}, new double[] {level, level});
            p.setMarker(SeriesMarkers.NONE);
            p.setLineColor(Color.DARK_GRAY);
            p.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        if (c.getSeriesMap().isEmpty()) {
            return null;
        }
        Path out = run.resolve(FILE);
        try {
            AtomicFiles.write(out, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** (step, value) of every line of a JSON-lines log that has both. */
    static List<double[]> points(Path log, String key) {
        List<double[]> out = new ArrayList<>();
        if (!Files.isRegularFile(log)) {
            return out;
        }
        try {
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (l.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(l);
                if (n.hasNonNull("step") && n.hasNonNull(key) && Double.isFinite(n.get(key).asDouble())) {
                    out.add(new double[] {n.get("step").asDouble(), n.get(key).asDouble()});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Mean of the last {@code w} values (fewer at the start). */
    static double[] runningMean(double[] v, int w) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= w) {
                sum -= v[i - w];
            }
            out[i] = sum / Math.min(i + 1, w);
        }
        return out;
    }

    private static double[] column(List<double[]> pts, int k) {
        double[] out = new double[pts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pts.get(i)[k];
        }
        return out;
    }
}
