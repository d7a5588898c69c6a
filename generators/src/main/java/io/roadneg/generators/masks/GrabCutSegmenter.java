package io.roadneg.generators.masks;

import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * The default prompter: OpenCV GrabCut initialised with the box (points, when given, are hard foreground/background
 * seeds). Needs no weights. GrabCut runs on the box grown by a margin, not the whole image, so the background colour
 * model comes from the object's surroundings and the cost stays proportional to the box.
 *
 * <p>The score is a stability estimate in the spirit of SAM's: the IoU between the mask after {@code iterations - 1}
 * rounds and after {@code iterations}; a segmentation that still moves in its last round is less trustworthy. When
 * GrabCut collapses (less than 5% of the box left) the box itself is returned with score 0.
 */
public final class GrabCutSegmenter implements PromptableSegmenter {
    /** Below this side length (pixels) GrabCut has too few samples for its colour models: the box is the mask. */
    static final int MIN_SIDE = 3;
    /** A GrabCut mask covering less than this fraction of its box is taken as a collapse: the box is returned. */
    static final double MIN_FILL = 0.05;

    private final Options options;

    /**
     * GrabCut settings.
     *
     * @param iterations GrabCut rounds per prompt (at least 1)
     * @param margin the working region is the box grown on each side by this fraction of its longer side
     * @param minMarginPx ... but by at least this many pixels
     */
    public record Options(int iterations, double margin, int minMarginPx) {
        /** The defaults: 5 rounds, 25% margin, at least 10 pixels. */
        public static final Options DEFAULT = new Options(5, 0.25, 10);

        /** Validates the values. */
        public Options {
            if (iterations < 1 || iterations > 100) {
                throw new IllegalArgumentException("grabcut iterations must be in 1..100, found " + iterations);
            }
            if (!(margin >= 0 && margin <= 10)) {
                throw new IllegalArgumentException("grabcut margin must be in 0..10, found " + margin);
            }
            if (minMarginPx < 0) {
                throw new IllegalArgumentException("grabcut minMarginPx must be non-negative, found " + minMarginPx);
            }
        }
    }

    /** GrabCut with the given settings. */
    public GrabCutSegmenter(Options options) {
        this.options = options;
        OpenCv.ensureLoaded();
    }

    @Override
    public String name() {
        return "grabcut";
    }

    /** The settings. */
    public Options options() {
        return options;
    }

    @Override
    public Session encode(RgbImage image) {
        // GrabCut's colour models ignore channel order, so the BGR Mat serves as is
        Mat bgr = Mats.fromRgb(image);
        return new Session() {
            @Override
            public List<PredictedMask> predict(List<Prompt> prompts) {
                List<PredictedMask> out = new ArrayList<>(prompts.size());
                for (Prompt p : prompts) {
                    out.add(segment(bgr, image.width(), image.height(), p));
                }
                return out;
            }

            @Override
            public void close() {
                bgr.release();
            }
        };
    }

    private PredictedMask segment(Mat bgr, int w, int h, Prompt prompt) {
        Box box = prompt.box();
        if (box.clip(w, h).isEmpty()) {
            throw new IllegalArgumentException("box [" + box.x0() + ", " + box.y0() + ", " + box.x1() + ", "
                    + box.y1() + "] does not overlap the " + w + "x" + h + " image");
        }
        int[] r = box.pixels(w, h);
        byte[] full = new byte[w * h];
        if (r[2] - r[0] < MIN_SIDE || r[3] - r[1] < MIN_SIDE) {
            fill(full, w, r);
            return new PredictedMask(w, h, full, 0);
        }
        int m = (int) Math.max(options.minMarginPx(), Math.round(options.margin() * Math.max(r[2] - r[0], r[3] - r[1])));
        int rx0 = Math.max(0, r[0] - m);
        int ry0 = Math.max(0, r[1] - m);
        int rx1 = Math.min(w, r[2] + m);
        int ry1 = Math.min(h, r[3] + m);
        int rw = rx1 - rx0;
        int rh = ry1 - ry0;
        // the rectangle inside the working region; if it fills the region there is no background sample, so keep a
        // one-pixel background ring
        int bx0 = r[0] - rx0;
        int by0 = r[1] - ry0;
        int bx1 = r[2] - rx0;
        int by1 = r[3] - ry0;
        if (bx0 == 0 && by0 == 0 && bx1 == rw && by1 == rh) {
            bx0 = 1;
            by0 = 1;
            bx1 = rw - 1;
            by1 = rh - 1;
        }
        Rect rect = new Rect(bx0, by0, bx1 - bx0, by1 - by0);
        // a copy, not a view: GrabCut on a non-continuous submat view returned all-background masks here
        Mat view = bgr.submat(ry0, ry1, rx0, rx1);
        Mat roi = view.clone();
        view.release();
        Mat mask = new Mat(rh, rw, CvType.CV_8UC1, new Scalar(Imgproc.GC_BGD));
        Mat bgd = new Mat();
        Mat fgd = new Mat();
        try {
            int mode = Imgproc.GC_INIT_WITH_RECT;
            if (!prompt.points().isEmpty()) {
                mode = Imgproc.GC_INIT_WITH_MASK;
                mask.submat(rect).setTo(new Scalar(Imgproc.GC_PR_FGD));
                int radius = Math.max(1, Math.min(rect.width, rect.height) / 20);
                for (Prompt.Point pt : prompt.points()) {
                    Imgproc.circle(mask, new Point(pt.x() - rx0, pt.y() - ry0), radius,
                            new Scalar(pt.positive() ? Imgproc.GC_FGD : Imgproc.GC_BGD), -1);
                }
            }
            Imgproc.grabCut(roi, mask, rect, bgd, fgd, options.iterations() - 1, mode);
            byte[] before = foreground(mask);
            Imgproc.grabCut(roi, mask, rect, bgd, fgd, 1, Imgproc.GC_EVAL);
            byte[] after = foreground(mask);
            long inter = 0;
            long union = 0;
            for (int i = 0; i < after.length; i++) {
                inter += before[i] & after[i];
                union += before[i] | after[i];
                if (after[i] != 0) {
                    full[(ry0 + i / rw) * w + rx0 + i % rw] = 1;
                }
            }
            long boxArea = (long) (r[2] - r[0]) * (r[3] - r[1]);
            if (areaOf(after) < MIN_FILL * boxArea) {
                // GrabCut collapses to (almost) nothing when the surroundings explain the box's colours (crowds,
                // camouflage); the box is then a better answer than an empty mask, and the score says it is a guess
                java.util.Arrays.fill(full, (byte) 0);
                fill(full, w, r);
                return new PredictedMask(w, h, full, 0);
            }
            return new PredictedMask(w, h, full, (double) inter / union);
        } finally {
            roi.release();
            mask.release();
            bgd.release();
            fgd.release();
        }
    }

    private static long areaOf(byte[] m) {
        long a = 0;
        for (byte b : m) {
            a += b;
        }
        return a;
    }

    private static byte[] foreground(Mat mask) {
        byte[] v = new byte[(int) mask.total()];
        mask.get(0, 0, v);
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (v[i] == Imgproc.GC_FGD || v[i] == Imgproc.GC_PR_FGD ? 1 : 0);
        }
        return v;
    }

    private static void fill(byte[] full, int w, int[] r) {
        for (int y = r[1]; y < r[3]; y++) {
            for (int x = r[0]; x < r[2]; x++) {
                full[y * w + x] = 1;
            }
        }
    }
}
