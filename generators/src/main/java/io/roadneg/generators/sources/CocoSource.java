package io.roadneg.generators.sources;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Names;
import io.roadneg.datasets.io.Roots;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.coco.AnnotationSpan;
import io.roadneg.datasets.coco.CocoAnnotation;
import io.roadneg.datasets.coco.CocoCategory;
import io.roadneg.datasets.coco.CocoImage;
import io.roadneg.datasets.coco.CocoInstancesReader;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.datasets.image.ByteLanes;
import io.roadneg.datasets.image.ImageHeaders;
import io.roadneg.datasets.image.ImageLimits;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.IndexedSource;
import io.roadneg.generators.OutlierSource;
import io.roadneg.pasting.PasteObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * COCO objects filtered by the Meta-OOD rules. {@code union} items are the images with a Meta-OOD mask (254 on 0,
 * written by {@code gen prepare coco-ood}); the object is the bounding box of all 254 pixels, after the optional RPL
 * rescale and centre crop. {@code instance} items are the single non-crowd annotations of those same images.
 */
public final class CocoSource extends IndexedSource {
    /** Category of union objects, which may mix several COCO categories. */
    public static final int UNION_CATEGORY = 1;

    private final CocoSourceConfig config;
    private final Path imageDir;
    private final Path maskDir;
    private final List<CocoImage> images; // union: one per item; instance: the item's image
    private final List<AnnotationSpan> spans; // instance mode only
    private final CocoInstancesReader reader;
    private final io.roadneg.generators.masks.PromptableSegmenter prompter; // maskFrom: box only
    private final io.roadneg.generators.masks.BoxPromptedMasks boxMasks;
    private final Map<Integer, String> categories = new TreeMap<>();

    private CocoSource(CocoSourceConfig config, Path imageDir, Path maskDir, List<CocoImage> images,
            List<AnnotationSpan> spans, CocoInstancesReader reader) {
        this.config = config;
        this.imageDir = imageDir;
        this.maskDir = maskDir;
        this.images = images;
        this.spans = spans;
        this.reader = reader;
        this.prompter = config.maskFrom().equals("box") ? io.roadneg.generators.masks.Prompters.open(config.prompter())
                : null;
        this.boxMasks = prompter == null ? null : new io.roadneg.generators.masks.BoxPromptedMasks(prompter);
    }

    /**
     * Opens the source.
     *
     * @param cocoRoot COCO root ({@code annotations/}, {@code {split}2017/})
     * @param oodRoot root holding the Meta-OOD masks ({@code annotations/ood_seg_{split}2017/})
     */
    public static CocoSource open(Path cocoRoot, Path oodRoot, CocoSourceConfig config) {
        String split = config.split();
        Path json = cocoRoot.resolve("annotations").resolve("instances_" + split + "2017.json");
        Path imageDir = cocoRoot.resolve(split + "2017");
        Path maskDir = MetaOodPreparer.maskFolder(oodRoot, split);
        if (!Files.isDirectory(maskDir)) {
            throw new InputException(maskDir, "coco-ood", oodRoot, "no Meta-OOD masks here: run gen prepare coco-ood "
                    + "first");
        }
        CocoInstancesReader reader = CocoInstancesReader.open(json);
        List<CocoImage> kept = new ArrayList<>();
        for (CocoImage im : reader.images()) {
            if (Files.exists(MetaOodPreparer.maskFile(oodRoot, split, im.id()))) {
                kept.add(im);
            }
        }
        kept.sort((a, b) -> Long.compare(a.id(), b.id()));
        if (config.mode().equals("union")) {
            CocoSource s = new CocoSource(config, imageDir, maskDir, kept, null, null);
            s.categories.put(UNION_CATEGORY, "outlier");
            return s;
        }
        Map<Long, CocoImage> keptById = new LinkedHashMap<>();
        kept.forEach(im -> keptById.put(im.id(), im));
        List<CocoImage> instImages = new ArrayList<>();
        List<AnnotationSpan> instSpans = new ArrayList<>();
        Map<Integer, String> cats = new TreeMap<>();
        reader.forEachAnnotation(new CocoInstancesReader.AnnotationHandler() {
            @Override
            public void annotation(CocoAnnotation a, AnnotationSpan span) {
                CocoImage im = keptById.get(a.imageId());
                if (im != null && !a.iscrowd()) {
                    instImages.add(im);
                    instSpans.add(span);
                    CocoCategory c = reader.category(a.categoryId());
                    cats.put(c.id(), c.name());
                }
            }

            @Override
            public void problem(io.roadneg.datasets.coco.AnnotationProblem p) {
                // images with broken annotations have no Meta-OOD mask, so they are not kept anyway
            }
        });
        CocoSource s = new CocoSource(config, imageDir, maskDir, instImages, instSpans, reader);
        s.categories.putAll(cats);
        return s;
    }

    @Override
    public String name() {
        return "coco";
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public String itemId(int index) {
        CocoImage im = images.get(index);
        String base = "coco:" + config.split() + "2017:" + Names.zeroPad(im.id(), 12);
        return spans == null ? base : base + "#" + spans.get(index).index() + (boxMasks == null ? "" : "@box");
    }

    @Override
    public Map<String, Object> draw(int index, Random rng) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (!config.rescale().isEmpty()) {
            d.put("rescale", config.rescale().get(rng.nextInt(config.rescale().size())));
        }
        return d;
    }

    @Override
    public PasteObject load(int index, Map<String, Object> draw) {
        return whole(index, draw, true);
    }

    /** The whole rescaled / centre-cropped image with the object's mask (RPL's raw outlier image). */
    @Override
    public PasteObject whole(int index, Map<String, Object> draw) {
        return whole(index, draw, false);
    }

    private PasteObject whole(int index, Map<String, Object> draw, boolean cut) {
        CocoImage im = images.get(index);
        Path imageFile = Roots.inside(imageDir, im.fileName(), imageDir.resolveSibling("annotations")
                .resolve("instances_" + config.split() + "2017.json"), "images[id " + im.id() + "].file_name");
        RgbImage img;
        byte[] mask;
        int category;
        String categoryName;
        if (spans == null) {
            // the mask before the image: an image without an outlier pixel (Meta-OOD keeps the COCO images that
            // have no annotation, with an empty mask) gives no object, and its image is not decoded; its size is
            // checked against the mask's from the header all the same
            byte[] imageBytes = Images.readBytes(imageFile);
            ImageLimits.checkHeader(imageBytes, imageFile);
            long[] declared = ImageHeaders.declaredSize(imageBytes);
            Path maskFile = maskDir.resolve(Names.zeroPad(im.id(), 12) + ".png");
            LabelMap m = Images.readLabelCompact(maskFile, null);
            if (declared != null) {
                checkMaskSize(maskFile, m, declared[0], declared[1]);
            }
            mask = outlierMask(m);
            if (mask == null) {
                return null;
            }
            img = Images.decodeRgb(imageBytes, imageFile);
            checkMaskSize(maskFile, m, img.width(), img.height());
            category = UNION_CATEGORY;
            categoryName = "outlier";
        } else {
            img = Images.readRgb(imageFile);
            CocoAnnotation a;
            synchronized (reader) {
                try (CocoInstancesReader.Spans s = reader.openSpans()) {
                    a = s.read(spans.get(index));
                }
            }
            mask = new byte[img.width() * img.height()];
            if (boxMasks != null) {
                boxMasks.forAnnotations(img, List.of(a)).get(0).paintRowMajor(mask, (byte) 1);
            } else {
                a.segmentation().toRle(img.height(), img.width()).paintRowMajor(mask, (byte) 1);
            }
            category = a.categoryId();
            categoryName = reader.category(category).name();
        }
        if (draw.containsKey("rescale") || config.centreCrop() > 0) {
            double f = draw.containsKey("rescale") ? OutlierSource.doubleOf(draw, "rescale") : 1.0;
            int w = Math.max(1, (int) Math.round(img.width() * f));
            int h = Math.max(1, (int) Math.round(img.height() * f));
            LabelMap ml = new LabelMap(img.width(), img.height(), toInts(mask));
            img = Crops.resizeImage(img, w, h);
            ml = Crops.resizeLabel(ml, w, h);
            if (config.centreCrop() > 0) {
                int s = config.centreCrop();
                int x0 = (w - s) / 2;
                int y0 = (h - s) / 2;
                img = Crops.cropImage(img, x0, y0, s, s, 0);
                ml = Crops.cropLabel(ml, x0, y0, s, s, 0);
            }
            mask = new byte[ml.data().length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (byte) ml.data()[i];
            }
        }
        if (cut) {
            return Crops.cutOut(img, mask, config.minArea(), itemId(index), category, categoryName);
        }
        int area = 0;
        for (byte b : mask) {
            area += b != 0 ? 1 : 0;
        }
        return area == 0 ? null : new PasteObject(img, mask, itemId(index), category, categoryName);
    }

    private static void checkMaskSize(Path maskFile, LabelMap m, long width, long height) {
        if (m.width() != width || m.height() != height) {
            throw new InputException(maskFile, "size", m.width() + "x" + m.height(),
                    "Meta-OOD mask size differs from its image's " + width + "x" + height);
        }
    }

    /**
     * 1 where a Meta-OOD mask holds the pasted-outlier value, else 0 (read from its bytes when so stored); null when
     * no pixel does.
     */
    private static byte[] outlierMask(LabelMap m) {
        byte[] mask = new byte[m.width() * m.height()];
        byte[] b = m.bytes();
        int any = 0;
        if (b != null) {
            // mostly background (0): only the stretches of other values are looked at
            byte outlier = (byte) LabelValues.PASTED_OUTLIER;
            for (int i = 0; i < b.length; ) {
                if (b[i] == 0) {
                    i = ByteLanes.nextNonZero(b, i, b.length);
                    continue;
                }
                if (b[i] == outlier) {
                    mask[i] = 1;
                    any = 1;
                }
                i++;
            }
        } else {
            int[] d = m.data();
            for (int i = 0; i < mask.length; i++) {
                byte v = d[i] == LabelValues.PASTED_OUTLIER ? (byte) 1 : 0;
                mask[i] = v;
                any |= v;
            }
        }
        return any == 0 ? null : mask;
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i];
        }
        return out;
    }

    @Override
    public Map<Integer, String> categories() {
        return categories;
    }

    @Override
    public void close() {
        if (prompter != null) {
            prompter.close();
        }
    }
}
