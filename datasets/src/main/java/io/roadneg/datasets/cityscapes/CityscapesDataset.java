package io.roadneg.datasets.cityscapes;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.cityscapes.CityscapesLayout.FrameId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Cityscapes tree on disk ({@code leftImg8bit/} and {@code gtFine/}): discovers splits, cities and frames in a
 * stable order (city, sequence, frame) so item indices, and with them per-item seeds, never depend on the file system.
 */
public final class CityscapesDataset {
    private final Path root;

    private CityscapesDataset(Path root) {
        this.root = root;
    }

    /** Opens a Cityscapes root; fails with what was expected and what was found if it is not one. */
    public static CityscapesDataset open(Path root) {
        return open(root, "cityscapes root");
    }

    /** As {@link #open(Path)}, naming the folder {@code what} (the option or key it came from) in errors. */
    public static CityscapesDataset open(Path root, String what) {
        if (!Files.exists(root)) {
            throw new InputException(null, what, root, "no such folder");
        }
        if (!Files.isDirectory(root)) {
            throw new InputException(root, what, root, "not a directory");
        }
        if (!Files.isDirectory(root.resolve(CityscapesLayout.LEFT_IMG))) {
            throw new InputException(root, what, root,
                    "expected a Cityscapes tree with leftImg8bit/{split}/{city}/ and gtFine/{split}/{city}/, found "
                            + describe(root));
        }
        return new CityscapesDataset(root);
    }

    private static String describe(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(8).toList();
            return names.isEmpty() ? "an empty folder" : "entries " + names;
        } catch (IOException e) {
            return "an unreadable folder";
        }
    }

    /** The root folder. */
    public Path root() {
        return root;
    }

    /** The splits that have an image folder, in the official order (train, val, test, then others by name). */
    public List<String> splits() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve(CityscapesLayout.LEFT_IMG))) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingInt((String n) -> {
            int i = CityscapesLayout.SPLITS.indexOf(n);
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(Comparator.naturalOrder()));
        return out;
    }

    /** The cities of a split, sorted by name. */
    public List<String> cities(String split) {
        Path dir = splitDir(split);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path splitDir(String split) {
        Path dir = root.resolve(CityscapesLayout.LEFT_IMG).resolve(split);
        if (!Files.isDirectory(dir)) {
            throw new InputException(root, "split", split, "no such split: expected " + dir + ", found splits "
                    + splits());
        }
        return dir;
    }

    /**
     * The frames of a split, sorted by (city, sequence, frame). Files in the image folders that do not follow the
     * naming are ignored; a frame must have its image, its label files are optional (test split).
     */
    public List<CityscapesFrame> frames(String split) {
        List<CityscapesFrame> out = new ArrayList<>();
        for (String city : cities(split)) {
            try (Stream<Path> s = Files.list(splitDir(split).resolve(city))) {
                s.map(p -> CityscapesLayout.parseImageName(p.getFileName().toString()))
                        .filter(id -> id != null && id.city().equals(city))
                        .forEach(id -> out.add(new CityscapesFrame(root, split, id)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.sort(Comparator.comparing((CityscapesFrame f) -> f.id().city())
                .thenComparingInt(f -> f.id().seq()).thenComparingInt(f -> f.id().frame()));
        return out;
    }

    /** The frames of a split that have fine labels (labelIds, or labelTrainIds made by the preparation script). */
    public List<CityscapesFrame> labelledFrames(String split) {
        return frames(split).stream().filter(f -> Files.exists(f.labelIdsPath()) || Files.exists(f.trainIdsPath()))
                .toList();
    }

    /** One frame of the tree. */
    public record CityscapesFrame(Path root, String split, FrameId id) {
        public Path imagePath() {
            return CityscapesLayout.image(root, split, id);
        }

        public Path labelIdsPath() {
            return CityscapesLayout.labelIds(root, split, id);
        }

        public Path trainIdsPath() {
            return CityscapesLayout.labelTrainIds(root, split, id);
        }

        public Path instanceIdsPath() {
            return CityscapesLayout.instanceIds(root, split, id);
        }

        public Path polygonsPath() {
            return CityscapesLayout.polygons(root, split, id);
        }

        /** Reads the RGB image. */
        public io.roadneg.datasets.image.RgbImage image() {
            return io.roadneg.datasets.image.Images.readRgb(imagePath());
        }

        /** Reads the labelIds map. */
        public io.roadneg.datasets.image.LabelMap labelIds() {
            return io.roadneg.datasets.image.Images.readLabel(labelIdsPath());
        }

        /**
         * Reads the labelTrainIds map if the preparation script made one, else converts labelIds with the official
         * table.
         */
        public io.roadneg.datasets.image.LabelMap trainIds() {
            Path p = trainIdsPath();
            if (Files.exists(p)) {
                return io.roadneg.datasets.image.Images.readLabel(p);
            }
            return CityscapesLabels.toTrainIds(labelIds());
        }

        /** Reads the 16-bit instanceIds map. */
        public io.roadneg.datasets.image.LabelMap instanceIds() {
            return io.roadneg.datasets.image.Images.readLabel(instanceIdsPath());
        }

        /** Reads {@code _gtFine_polygons.json}. */
        public CityscapesPolygons polygons() {
            return CityscapesPolygons.read(polygonsPath());
        }
    }
}
