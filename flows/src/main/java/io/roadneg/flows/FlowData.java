package io.roadneg.flows;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The inlier images a flow trains on and the held-out ones it is validated on: the Cityscapes train and val splits,
 * COCO's train2017 and val2017 folders, or any image folder with every fifth image (sorted by path) held out.
 *
 * @param train training images, sorted
 * @param validation held-out images, sorted
 * @param description where they came from, one line
 */
public record FlowData(List<Path> train, List<Path> validation, String description) {
    /** Every {@code HOLD_OUT}-th image of a folder is held out. */
    public static final int HOLD_OUT = 5;

    /**
     * Resolves {@code --data}: {@code cityscapes} (of {@code cityscapesRoot}), {@code coco} (of {@code cocoRoot}) or
     * a folder; a one-line {@link InputException} when there is nothing to train or validate on.
     */
    public static FlowData resolve(String data, Path cityscapesRoot, Path cocoRoot) {
        if (data.equals("cityscapes")) {
            CityscapesDataset cs = CityscapesDataset.open(cityscapesRoot);
            List<Path> train = cs.frames("train").stream().map(CityscapesDataset.CityscapesFrame::imagePath).toList();
            if (cs.splits().contains("val") && !cs.frames("val").isEmpty()) {
                List<Path> val = cs.frames("val").stream().map(CityscapesDataset.CityscapesFrame::imagePath).toList();
                return checked(new FlowData(train, val, "Cityscapes " + cityscapesRoot + ": train " + train.size()
                        + " images, held out: val " + val.size()), data);
            }
            return holdOut(train, "Cityscapes " + cityscapesRoot + " train", data);
        }
        if (data.equals("coco")) {
            List<Path> train = images(cocoRoot.resolve("train2017"));
            List<Path> val = Files.isDirectory(cocoRoot.resolve("val2017")) ? images(cocoRoot.resolve("val2017"))
                    : List.of();
            if (!val.isEmpty()) {
                return checked(new FlowData(train, val, "COCO " + cocoRoot + ": train2017 " + train.size()
                        + " images, held out: val2017 " + val.size()), data);
            }
            return holdOut(train, "COCO " + cocoRoot + " train2017", data);
        }
        Path dir = Path.of(data);
        if (!Files.isDirectory(dir)) {
            throw new InputException(null, "--data", data, "must be cityscapes, coco or an image folder");
        }
        return holdOut(images(dir), "folder " + dir, data);
    }

    private static FlowData holdOut(List<Path> all, String what, String data) {
        List<Path> train = new ArrayList<>();
        List<Path> val = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % HOLD_OUT == HOLD_OUT - 1 ? val : train).add(all.get(i));
        }
        return checked(new FlowData(train, val, what + ": " + train.size() + " images, held out every " + HOLD_OUT
                + "th: " + val.size()), data);
    }

    private static FlowData checked(FlowData d, String data) {
        if (d.train().isEmpty() || d.validation().isEmpty()) {
            throw new InputException(null, "--data", data, "needs training and held-out images, found "
                    + d.train().size() + " and " + d.validation().size() + " (" + d.description() + ")");
        }
        return d;
    }

    /** The jpg, png and webp images under a folder (recursively), sorted by path. */
    static List<Path> images(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir, "--data", dir, "not a folder");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".webp");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
