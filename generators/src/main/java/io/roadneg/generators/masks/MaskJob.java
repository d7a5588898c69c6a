package io.roadneg.generators.masks;

import io.roadneg.datasets.Futures;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.io.Roots;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.coco.CocoAnnotation;
import io.roadneg.datasets.coco.CocoImage;
import io.roadneg.datasets.coco.CocoInstancesWriter;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.coco.Segmentation;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code gen masks}: box prompts from a {@link BoxFile} plus the images they refer to in, a COCO instances JSON with
 * one compressed-RLE mask and score per prompt out. Unusable images and boxes (missing file, size differing from the
 * boxes file, box outside the image, empty mask) are reported skips; the output file is written atomically at the
 * end, so a prompter failure never leaves half a file.
 */
public final class MaskJob {
    private MaskJob() {
    }

    /**
     * What to run.
     *
     * @param images folder the boxes file's {@code file_name}s are relative to
     * @param boxes the boxes file (COCO JSON, simple JSON or CSV)
     * @param out the COCO JSON to write
     * @param threads images prompted in parallel (each thread holds one encoded image)
     */
    public record Options(Path images, Path boxes, Path out, int threads) {
        /** Validates the thread count. */
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive, found " + threads);
            }
        }
    }

    /**
     * What happened.
     *
     * @param images images written to the output
     * @param masks masks written
     * @param skipped one line per skipped image or prompt
     * @param out the file written
     */
    public record Result(int images, int masks, List<String> skipped, Path out) {
    }

    private record ImageResult(CocoImage image, List<CocoAnnotation> annotations, List<String> skipped) {
    }

    /** Runs the job with {@code prompter} (the caller closes it). */
    public static Result run(Options options, PromptableSegmenter prompter, Progress progress) {
        if (!Files.isDirectory(options.images())) {
            throw new InputException(options.images(), "--images", options.images(), "not a folder");
        }
        BoxFile boxes = BoxFile.read(options.boxes());
        List<String> skipped = new ArrayList<>(boxes.problems());
        List<CocoImage> images = new ArrayList<>();
        List<CocoAnnotation> annotations = new ArrayList<>();
        progress.start("masks", boxes.images().size());
        ExecutorService pool = Executors.newFixedThreadPool(options.threads());
        try {
            List<Future<ImageResult>> futures = new ArrayList<>();
            for (BoxFile.ImageBoxes im : boxes.images()) {
                futures.add(pool.submit(() -> {
                    ImageResult r = prompt(options.images(), boxes.file(), im, prompter);
                    progress.step(1);
                    return r;
                }));
            }
            for (Future<ImageResult> f : futures) {
                ImageResult r = Futures.get(f);
                if (r.image() != null) {
                    images.add(r.image());
                }
                annotations.addAll(r.annotations());
                skipped.addAll(r.skipped());
            }
        } finally {
            pool.shutdownNow();
            progress.close();
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("description", "box-prompted masks written by gen masks");
        info.put("prompter", prompter.name());
        info.put("boxes", options.boxes().getFileName().toString());
        CocoInstancesWriter.write(options.out(), info, images, annotations, boxes.categories());
        return new Result(images.size(), annotations.size(), List.copyOf(skipped), options.out());
    }

    private static ImageResult prompt(Path folder, Path boxesFile, BoxFile.ImageBoxes im,
            PromptableSegmenter prompter) {
        List<String> skipped = new ArrayList<>();
        Path file;
        try {
            file = Roots.inside(folder, im.fileName(), boxesFile, "file_name");
        } catch (InputException e) {
            skipped.add(e.getMessage() + "; its " + im.entries().size() + " boxes skipped");
            return new ImageResult(null, List.of(), skipped);
        }
        if (!Files.isRegularFile(file)) {
            skipped.add(file + ": image not found; its " + im.entries().size() + " boxes skipped");
            return new ImageResult(null, List.of(), skipped);
        }
        RgbImage rgb;
        try {
            rgb = Images.readRgb(file);
        } catch (InputException e) {
            skipped.add(e.getMessage() + "; its " + im.entries().size() + " boxes skipped");
            return new ImageResult(null, List.of(), skipped);
        }
        int w = rgb.width();
        int h = rgb.height();
        if (im.width() != 0 && (im.width() != w || im.height() != h)) {
            skipped.add(file + ": size = " + w + "x" + h + ": differs from " + im.width() + "x" + im.height()
                    + " in " + boxesFile.getFileName() + "; its " + im.entries().size() + " boxes skipped");
            return new ImageResult(null, List.of(), skipped);
        }
        List<Prompt> prompts = new ArrayList<>();
        List<BoxFile.Entry> kept = new ArrayList<>();
        for (BoxFile.Entry e : im.entries()) {
            Box b = e.prompt().box();
            if (b.clip(w, h).isEmpty()) {
                skipped.add(boxesFile + ": " + e.where() + ".bbox = " + fmt(b) + ": outside the " + w + "x" + h
                        + " image " + im.fileName());
                continue;
            }
            prompts.add(new Prompt(b.clip(w, h), e.prompt().points()));
            kept.add(e);
        }
        List<CocoAnnotation> anns = new ArrayList<>();
        if (!prompts.isEmpty()) {
            List<PredictedMask> masks;
            try (PromptableSegmenter.Session s = prompter.encode(rgb)) {
                masks = s.predict(prompts);
            }
            for (int k = 0; k < masks.size(); k++) {
                BoxFile.Entry e = kept.get(k);
                Rle rle = masks.get(k).toRle();
                if (rle.area() == 0) {
                    skipped.add(boxesFile + ": " + e.where() + ".bbox = " + fmt(e.prompt().box())
                            + ": the prompter gave an empty mask");
                    continue;
                }
                anns.add(new CocoAnnotation(e.id(), im.imageId(), e.categoryId(), new Segmentation.CompressedRle(rle),
                        rle.area(), rle.bbox(), false, masks.get(k).score()));
            }
        }
        return new ImageResult(new CocoImage(im.imageId(), w, h, im.fileName()), anns, skipped);
    }

    static String fmt(Box b) {
        double[] x = b.toXywh();
        return "[" + trim(x[0]) + ", " + trim(x[1]) + ", " + trim(x[2]) + ", " + trim(x[3]) + "]";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
