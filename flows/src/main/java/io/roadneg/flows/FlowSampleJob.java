package io.roadneg.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Provenance;
import io.roadneg.datasets.image.ImageLimits;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.RunFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Draws {@code count} samples from a flow into a folder ({@code gen flow sample}): {@code sample-NNNNN.png} per item,
 * {@code grid.png} of the first ones ({@link #gridItems}), {@code sample.json} (what was asked; a rerun with other
 * settings is refused) and
 * {@code manifest.json} (files and provenance). Item i is drawn alone with noise {@code (seed, i)}, so its bytes
 * depend on neither the count, nor threads, nor the process; files already there are kept (resumable).
 */
public final class FlowSampleJob {
    /** The request record of a sample folder. */
    public static final String REQUEST = "sample.json";
    /** The manifest of a sample folder. */
    public static final String MANIFEST = "manifest.json";
    /** The grid of every sample. */
    public static final String GRID = "grid.png";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowSampleJob() {
    }

    /**
     * What to draw.
     *
     * @param run the flow run
     * @param count samples
     * @param size sample side in pixels
     * @param temperature scales the latents' standard deviation (positive)
     * @param seed noise seed
     * @param out output folder
     */
    public record Options(FlowSampler run, int count, int size, double temperature, long seed, Path out) {
        /** Checks everything before any work: count, size (the squeezes), temperature. */
        public Options {
            if (count <= 0) {
                throw new InputException(null, "--count", count, "must be positive");
            }
            run.checkSize(size, size, "--size");
            // a sample is written as a PNG: a side whose square the image pixel limit refuses is refused here, before
            // the flow allocates for it (drawing takes about 1 KB a pixel with the CPU preset, more with the
            // published one)
            if ((long) size * size > ImageLimits.maxPixels()) {
                throw new InputException(null, "--size", size + "x" + size, "more than the " + ImageLimits.maxPixels()
                        + " pixels an image may have (" + ImageLimits.ENV + " sets the limit)");
            }
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new InputException(null, "--temperature", temperature, "must be a positive number");
            }
        }
    }

    /** Most samples the grid shows. */
    static final int GRID_MAX_ITEMS = 1024;
    /** Most pixels of the grid image (8192 x 8192). */
    static final long GRID_MAX_PIXELS = 8192L * 8192;

    /**
     * How many samples, from the first, {@code grid.png} shows: every one up to {@link #GRID_MAX_ITEMS}, fewer when
     * their tiles ({@code size} + 2 a side) would pass {@link #GRID_MAX_PIXELS}; at least one. (A grid of all 100,000
     * samples of 64 x 64 would be 21,000 pixels a side, more than the pixel limit lets anyone read back.)
     */
    static int gridItems(int count, int size) {
        long tile = (long) (size + 2) * (size + 2);
        return (int) Math.max(1, Math.min(Math.min(count, GRID_MAX_ITEMS), GRID_MAX_PIXELS / tile));
    }

    /** What was written: samples made now, already there, and the files. */
    public record Result(int made, int alreadyThere, List<Path> files, Path grid, Path manifest) {
    }

    /** Draws the samples. */
    public static Result run(Options o, Progress progress) {
        Path out = o.out();
        ObjectNode request = JSON.createObjectNode().put("command", "gen flow sample")
                .put("config", o.run().name()).put("flowSha256", o.run().sha256()).put("count", o.count())
                .put("size", o.size()).put("temperature", o.temperature()).put("seed", o.seed());
        Path requestFile = out.resolve(REQUEST);
        RunFolders.refuseUnknown(out, REQUEST);
        RunFolders.refuseAnother(requestFile, readIfPresent(requestFile), request, List.of(), "use a new --out or the same "
                + "options");
        AtomicFiles.write(requestFile, bytes(request));
        String source = "flow:" + o.run().name() + "@" + o.run().sha256();
        Provenance reproducible = new Provenance("gen flow sample", o.run().name(), null, o.seed(), null,
                null, List.of(source), null);
        List<Path> files = new ArrayList<>();
        List<RgbImage> tiles = new ArrayList<>();
        int made = 0;
        int shown = gridItems(o.count(), o.size());
        progress.start("flow sample", o.count());
        try (NDManager root = NDManager.newBaseManager(o.run().device())) {
            for (int i = 0; i < o.count(); i++) {
                Path f = out.resolve(String.format("sample-%05d.png", i));
                files.add(f);
                if (Files.isRegularFile(f)) {
                    if (i < shown) {
                        tiles.add(Images.readRgb(f));
                    }
                } else {
                    RgbImage img;
                    try (NDManager m = root.newSubManager()) {
                        NDArray s = o.run().sample(m, 1, o.size(), o.size(), o.temperature(), o.seed(), i);
                        img = FlowImages.images(s).get(0);
                    }
                    Images.writePng(f, img, 9, Map.of(Provenance.PNG_KEY, reproducible.forItem(String.valueOf(i),
                            null, List.of(source)).toJson()));
                    if (i < shown) {
                        tiles.add(img);
                    }
                    made++;
                }
                progress.step(1);
            }
        } finally {
            progress.close();
        }
        int columns = (int) Math.ceil(Math.sqrt(shown));
        Path grid = out.resolve(GRID);
        Images.writePng(grid, FlowImages.grid(tiles, columns, 2), 9, Map.of(Provenance.PNG_KEY,
                reproducible.toJson()));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.set("request", request);
        manifest.put("flow", o.run().describe());
        if (o.run().step() >= 0) {
            manifest.put("checkpointStep", o.run().step());
        }
        ArrayNode list = manifest.putArray("samples");
        for (int i = 0; i < files.size(); i++) {
            list.addObject().put("item", i).put("file", files.get(i).getFileName().toString());
        }
        manifest.put("grid", GRID);
        manifest.put("gridSamples", shown); // the first ones, row by row
        manifest.set("provenance", JSON.valueToTree(Provenance.run("gen flow sample", o.run().name(), null,
                o.seed())));
        Path manifestFile = out.resolve(MANIFEST);
        AtomicFiles.write(manifestFile, bytes(manifest));
        return new Result(made, o.count() - made, files, grid, manifestFile);
    }

    /** A JSON file's tree, null when the file is absent; unreadable JSON is an input error naming the file. */
    static JsonNode readIfPresent(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new InputException(f, null, null, "not readable JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
