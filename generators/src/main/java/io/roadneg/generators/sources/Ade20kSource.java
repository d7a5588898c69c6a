package io.roadneg.generators.sources;

import io.roadneg.datasets.ade20k.Ade20kSceneParsing;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.IndexedSource;
import io.roadneg.generators.OutlierSource;
import io.roadneg.pasting.PasteObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * DenseHybrid's ADE20K negatives: the image and its label are resized to a short side of {@code shortSide} times a
 * jitter, a {@code crop} square is cut, and the pasted mask is either a rectangle (side a multiple of
 * {@code rectStep} from {@code rectMin} up to below the crop) or the union of {@code classCount} class ids drawn with
 * replacement from the labels present in the crop. Crop padding is ignore and never pasted.
 */
public final class Ade20kSource extends IndexedSource {
    /** Category of every ADE20K patch in the pasted set's COCO JSON. */
    public static final int CATEGORY = 1;
    private static final int PAD = -1;

    private final Ade20kSourceConfig config;
    private final List<Ade20kSceneParsing.Pair> pairs;
    private final String split;

    public Ade20kSource(Ade20kSceneParsing ade, Ade20kSourceConfig config) {
        this.config = config;
        this.split = config.split();
        this.pairs = ade.pairs(split);
    }

    @Override
    public String name() {
        return "ade20k";
    }

    @Override
    public int size() {
        return pairs.size();
    }

    @Override
    public String itemId(int index) {
        return "ade20k:" + split + ":" + pairs.get(index).name();
    }

    @Override
    public Map<String, Object> draw(int index, Random rng) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Double> j = config.jitter();
        d.put("jitter", j.get(0) + rng.nextDouble() * (j.get(1) - j.get(0)));
        d.put("cropX", rng.nextDouble());
        d.put("cropY", rng.nextDouble());
        boolean rect = rng.nextDouble() < config.rectProbability();
        d.put("mask", rect ? "rect" : "classes");
        if (rect) {
            int sides = (config.crop() - 1 - config.rectMin()) / config.rectStep() + 1;
            d.put("rectW", config.rectMin() + config.rectStep() * rng.nextInt(sides));
            d.put("rectH", config.rectMin() + config.rectStep() * rng.nextInt(sides));
            d.put("rectX", rng.nextDouble());
            d.put("rectY", rng.nextDouble());
        } else {
            List<Double> picks = new ArrayList<>();
            for (int k = 0; k < config.classCount(); k++) {
                picks.add(rng.nextDouble());
            }
            d.put("classPicks", picks);
        }
        return d;
    }

    @Override
    public PasteObject load(int index, Map<String, Object> draw) {
        Ade20kSceneParsing.Pair p = pairs.get(index);
        RgbImage img = Images.readRgb(p.image());
        LabelMap lab = p.readAnnotation();
        double f = config.shortSide() * OutlierSource.doubleOf(draw, "jitter") / Math.min(img.width(), img.height());
        int w = Math.max(1, (int) Math.round(img.width() * f));
        int h = Math.max(1, (int) Math.round(img.height() * f));
        img = Crops.resizeImage(img, w, h);
        lab = Crops.resizeLabel(lab, w, h);
        int c = config.crop();
        int cx = (int) Math.floor(OutlierSource.doubleOf(draw, "cropX") * Math.max(0, w - c + 1));
        int cy = (int) Math.floor(OutlierSource.doubleOf(draw, "cropY") * Math.max(0, h - c + 1));
        RgbImage crop = Crops.cropImage(img, cx, cy, c, c, meanColour(img));
        LabelMap cl = Crops.cropLabel(lab, cx, cy, c, c, PAD);
        byte[] mask = new byte[c * c];
        if ("rect".equals(draw.get("mask"))) {
            int rw = OutlierSource.intOf(draw, "rectW");
            int rh = OutlierSource.intOf(draw, "rectH");
            int rx = (int) Math.floor(OutlierSource.doubleOf(draw, "rectX") * (c - rw + 1));
            int ry = (int) Math.floor(OutlierSource.doubleOf(draw, "rectY") * (c - rh + 1));
            for (int y = ry; y < ry + rh; y++) {
                for (int x = rx; x < rx + rw; x++) {
                    mask[y * c + x] = cl.data()[y * c + x] == PAD ? 0 : (byte) 1;
                }
            }
        } else {
            TreeSet<Integer> present = new TreeSet<>();
            for (int v : cl.data()) {
                if (v != PAD) {
                    present.add(v);
                }
            }
            if (present.isEmpty()) {
                return null;
            }
            List<Integer> classes = new ArrayList<>(present);
            TreeSet<Integer> chosen = new TreeSet<>();
            for (Object u : (List<?>) draw.get("classPicks")) {
                int k = (int) Math.floor(((Number) u).doubleValue() * classes.size());
                chosen.add(classes.get(Math.min(k, classes.size() - 1)));
            }
            for (int i = 0; i < mask.length; i++) {
                mask[i] = chosen.contains(cl.data()[i]) ? (byte) 1 : 0;
            }
        }
        return Crops.cutOut(crop, mask, config.minArea(), itemId(index), CATEGORY, "outlier");
    }

    private static int meanColour(RgbImage img) {
        long[] s = new long[3];
        byte[] d = img.data();
        for (int i = 0; i < d.length; i += 3) {
            s[0] += d[i] & 0xff;
            s[1] += d[i + 1] & 0xff;
            s[2] += d[i + 2] & 0xff;
        }
        long n = d.length / 3;
        return (int) (s[0] / n) << 16 | (int) (s[1] / n) << 8 | (int) (s[2] / n);
    }

    @Override
    public Map<Integer, String> categories() {
        return Map.of(CATEGORY, "outlier");
    }
}
