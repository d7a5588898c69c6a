package io.roadneg.generators.sources;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.IndexedSource;
import io.roadneg.generators.OutlierSource;
import io.roadneg.pasting.PasteObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Noisy negatives (Bevandic et al.): rectangular patches of random size and aspect cut at random places from the
 * images of a folder (searched recursively, sorted by path).
 */
public final class PatchSource extends IndexedSource {
    /** Category of every patch in the pasted set's COCO JSON. */
    public static final int CATEGORY = 1;

    private final PatchSourceConfig config;
    private final Path folder;
    private final List<Path> files;

    public PatchSource(Path folder, PatchSourceConfig config) {
        this.config = config;
        this.folder = folder;
        if (!Files.isDirectory(folder)) {
            throw new InputException(folder, "source.folder", folder, "not a folder");
        }
        try (Stream<Path> s = Files.walk(folder)) {
            this.files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".webp");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new InputException(folder, "source.folder", folder, "holds no jpg, png or webp image");
        }
    }

    @Override
    public String name() {
        return "patches";
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public String itemId(int index) {
        return "patches:" + folder.relativize(files.get(index)).toString().replace('\\', '/');
    }

    @Override
    public Map<String, Object> draw(int index, Random rng) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Double> side = config.side();
        List<Double> aspect = config.aspect();
        double s = side.get(0) + rng.nextDouble() * (side.get(1) - side.get(0));
        // log-uniform aspect, so 1:2 and 2:1 are equally likely
        double la = Math.log(aspect.get(0)) + rng.nextDouble() * (Math.log(aspect.get(1)) - Math.log(aspect.get(0)));
        double a = Math.exp(la);
        d.put("w", Math.max(2, (int) Math.round(s * Math.sqrt(a))));
        d.put("h", Math.max(2, (int) Math.round(s / Math.sqrt(a))));
        d.put("x", rng.nextDouble());
        d.put("y", rng.nextDouble());
        return d;
    }

    @Override
    public PasteObject load(int index, Map<String, Object> draw) {
        RgbImage img = Images.readRgb(files.get(index));
        int w = Math.min(OutlierSource.intOf(draw, "w"), img.width());
        int h = Math.min(OutlierSource.intOf(draw, "h"), img.height());
        int x = (int) Math.floor(OutlierSource.doubleOf(draw, "x") * (img.width() - w + 1));
        int y = (int) Math.floor(OutlierSource.doubleOf(draw, "y") * (img.height() - h + 1));
        RgbImage crop = Crops.cropImage(img, x, y, w, h, 0);
        byte[] mask = new byte[w * h];
        java.util.Arrays.fill(mask, (byte) 1);
        return new PasteObject(crop, mask, itemId(index), CATEGORY, "outlier");
    }

    @Override
    public Map<Integer, String> categories() {
        return Map.of(CATEGORY, "outlier");
    }
}
