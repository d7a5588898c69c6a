package io.roadneg.evaluation.scores;

import io.roadneg.datasets.image.ImageLimits;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.evaluation.metrics.Half;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and reads a frame's score map in a scores folder: {@code {fid}.npy} or the SMIYC {@code {fid}.hdf5} (dataset
 * {@code value}, float16, float32 or float64, read with jhdf). Checks that every score is finite.
 */
public final class ScoreFiles {
    private ScoreFiles() {
    }

    /** The score file of frame {@code id}, or an error naming both names that were tried. */
    public static Path locate(Path dir, String id) {
        Path npy = dir.resolve(id + ".npy");
        if (Files.isRegularFile(npy)) {
            return npy;
        }
        Path h5 = dir.resolve(id + ".hdf5");
        if (Files.isRegularFile(h5)) {
            return h5;
        }
        throw new InputException(dir, "frame", id, "missing score map (expected " + id + ".npy or " + id + ".hdf5)");
    }

    /** The class prediction file of frame {@code id}: {@code {fid}.png} (8-bit train ids) or {@code {fid}.npy}. */
    public static Path locateClasses(Path dir, String id) {
        Path png = dir.resolve(id + ".png");
        if (Files.isRegularFile(png)) {
            return png;
        }
        Path npy = dir.resolve(id + ".npy");
        if (Files.isRegularFile(npy)) {
            return npy;
        }
        throw new InputException(dir, "frame", id, "missing class prediction (expected " + id + ".png or " + id
                + ".npy)");
    }

    /** Reads a per-frame class prediction (train ids) from a label PNG or an integer {@code .npy}. */
    public static LabelMap readClasses(Path file) {
        return file.getFileName().toString().endsWith(".npy") ? Npy.readInts(file) : Images.readLabel(file);
    }

    /** Reads and validates a score map. */
    public static ScoreMap read(Path file) {
        ScoreMap m = file.getFileName().toString().endsWith(".hdf5") ? readHdf5(file) : Npy.read(file);
        // a float64 map's float copy is non-finite exactly where its doubles are (Npy.fromDoubles)
        float[] v = m.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InputException(file, "score", v[i] + " at pixel (" + (i % m.width()) + ", "
                        + (i / m.width()) + ")", "scores must be finite");
            }
        }
        return m;
    }

    private static ScoreMap readHdf5(Path file) {
        try (HdfFile hdf = new HdfFile(file)) {
            Dataset ds = hdf.getDatasetByPath("value");
            int[] dims = ds.getDimensions();
            if (dims.length != 2) {
                throw new InputException(file, "value.shape", java.util.Arrays.toString(dims),
                        "expected a 2-D H x W map");
            }
            int h = dims[0];
            int w = dims[1];
            ImageLimits.check(w, h, file); // a compressed dataset may declare far more than the file holds
            Object data = ds.getData();
            if (!(data instanceof float[][] rows)) {
                // float64 (or integer) datasets: kept as doubles, ranked as they are (Npy.fromDoubles)
                double[] d = new double[w * h];
                for (int y = 0; y < h; y++) {
                    Object row = java.lang.reflect.Array.get(data, y);
                    if (row instanceof double[] r) {
                        System.arraycopy(r, 0, d, y * w, w);
                        continue;
                    }
                    for (int x = 0; x < w; x++) {
                        Object e = java.lang.reflect.Array.get(row, x);
                        if (!(e instanceof Number num)) {
                            throw new InputException(file, "value", e.getClass().getSimpleName(),
                                    "expected a numeric score dataset");
                        }
                        d[y * w + x] = num.doubleValue();
                    }
                }
                return Npy.fromDoubles(w, h, d);
            }
            float[] v = new float[w * h];
            for (int y = 0; y < h; y++) {
                System.arraycopy(rows[y], 0, v, y * w, w);
            }
            short[] bits = null;
            if (ds.getDataType().getSize() == 2) {
                bits = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    bits[i] = Half.fromFloat(v[i]); // exact: the value came from a float16
                }
            }
            return new ScoreMap(w, h, v, bits);
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputException(file, "value", null, "cannot read the HDF5 score map: " + e.getMessage(), e);
        }
    }
}
