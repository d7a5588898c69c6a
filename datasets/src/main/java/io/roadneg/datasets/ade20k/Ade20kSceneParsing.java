package io.roadneg.datasets.ade20k;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A SceneParsing release ({@code ADEChallengeData2016}): {@code images/{split}/ADE_{train,val}_%08d.jpg} paired with
 * {@code annotations/{split}/...png} (8-bit, 0 = other, 1..150 = classes of {@code objectInfo150.csv}).
 */
public final class Ade20kSceneParsing {
    private static final Pattern IMAGE = Pattern.compile("ADE_(train|val|test)_(\\d{8})\\.jpg");

    /**
     * One image and its annotation.
     *
     * @param name file stem, e.g. {@code ADE_val_00000001}
     * @param image the JPEG
     * @param annotation the label PNG
     */
    public record Pair(String name, Path image, Path annotation) {
        /** Reads the annotation exactly (values 0..150). */
        public LabelMap readAnnotation() {
            LabelMap m = Images.readLabel(annotation);
            int max = m.max();
            if (max > Ade20kLabels.NUM_CLASSES) {
                throw new InputException(annotation, "pixel value", max, "ADE20K annotations hold 0..150");
            }
            return m;
        }
    }

    private final Path root;

    /**
     * @param root the {@code ADEChallengeData2016} folder (or one with the same {@code images/} and
     *     {@code annotations/} subfolders)
     */
    public Ade20kSceneParsing(Path root) {
        if (!Files.isDirectory(root.resolve("images"))) {
            throw new InputException(root, "images/", null, "not an ADE20K SceneParsing folder (no images/ inside)");
        }
        this.root = root;
    }

    /** The release root. */
    public Path root() {
        return root;
    }

    /** The splits present: subfolders of {@code images/} ("training", "validation"), sorted. */
    public List<String> splits() {
        try (Stream<Path> s = Files.list(root.resolve("images"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve("images"), e);
        }
    }

    /** The class table: {@code objectInfo150.csv} of the release. */
    public Ade20kLabels labels() {
        return Ade20kLabels.read(root.resolve("objectInfo150.csv"));
    }

    /**
     * The image/annotation pairs of a split, by name. An image without its annotation is an {@link InputException}
     * naming the missing file; files that do not follow the naming are ignored.
     */
    public List<Pair> pairs(String split) {
        Path imgDir = root.resolve("images").resolve(split);
        if (!Files.isDirectory(imgDir)) {
            throw new InputException(imgDir, "split", split, "no such split; found " + splits());
        }
        List<Pair> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(imgDir)) {
            for (Path img : s.sorted().toList()) {
                Matcher m = IMAGE.matcher(img.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                String stem = img.getFileName().toString().replaceFirst("\\.jpg$", "");
                Path ann = root.resolve("annotations").resolve(split).resolve(stem + ".png");
                if (!Files.isRegularFile(ann)) {
                    throw new InputException(ann, "annotation of", img.getFileName(), "missing");
                }
                out.add(new Pair(stem, img, ann));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + imgDir, e);
        }
        return out;
    }
}
