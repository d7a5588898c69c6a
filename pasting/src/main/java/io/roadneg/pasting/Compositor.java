package io.roadneg.pasting;

import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.PngEncoder;
import io.roadneg.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

/**
 * Applies a plan's placements to a scene, deterministically: transform each object, clip it to the image, match its
 * colours, blend it, and write the labels (pasted pixels take the outlier value; later objects occlude earlier ones,
 * and destination instances lose the pixels they cover).
 */
public final class Compositor {
    private final int outlierTrainId;
    private final int outlierLabelId;
    /** {@link #oodRows()}: made once, the same for every item. */
    private final PngEncoder.RowMapper oodRows;

    /**
     * @param outlierTrainId value of pasted pixels in the trainId map (254 in every reference recipe)
     * @param outlierLabelId value of pasted pixels in the labelIds and instanceIds maps
     */
    public Compositor(int outlierTrainId, int outlierLabelId) {
        if (outlierTrainId < 0 || outlierTrainId > 255 || outlierLabelId < 0 || outlierLabelId > 255) {
            throw new IllegalArgumentException("outlier ids must be 0..255, found " + outlierTrainId + ", "
                    + outlierLabelId);
        }
        this.outlierTrainId = outlierTrainId;
        this.outlierLabelId = outlierLabelId;
        this.oodRows = oodMapper(outlierTrainId);
    }

    /** The default: 254 in both trainIds and labelIds. */
    public Compositor() {
        this(LabelValues.PASTED_OUTLIER, LabelValues.PASTED_OUTLIER);
    }

    /**
     * Pastes {@code objects[i]} with {@code placements[i]}, in order.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public PasteResult apply(Scene scene, List<PasteObject> objects, List<Placement> placements) {
        Scene copy = new Scene(scene.image().copy(), scene.trainIds().copy(),
                scene.labelIds() == null ? null : scene.labelIds().copy(),
                scene.instanceIds() == null ? null : scene.instanceIds().copy());
        return applyInPlace(copy, objects, placements);
    }

    /**
     * As {@link #apply}, but paints into the scene's own image and label maps, which become the result's: for a
     * caller that reads each scene once (a paste job), it saves copying some 30 MB per 2048x1024 scene.
     */
    public PasteResult applyInPlace(Scene scene, List<PasteObject> objects, List<Placement> placements) {
        return paint(scene, objects, placements, true);
    }

    /**
     * As {@link #applyInPlace(Scene, List, List)} without the anomaly label map ({@link PasteResult#ood()} is
     * null): it is a function of the painted train ids, which {@link #oodRows()} maps row by row where the map is
     * needed (a paste job encodes it straight from the train ids instead of storing 8 MB a 2048x1024 frame to encode
     * it once).
     */
    public PasteResult applyInPlaceWithoutOod(Scene scene, List<PasteObject> objects, List<Placement> placements) {
        return paint(scene, objects, placements, false);
    }

    /** The anomaly label values of train ids, row by row ({@link #oodValues}), for this compositor's outlier id. */
    public PngEncoder.RowMapper oodRows() {
        return oodRows;
    }

    private static PngEncoder.RowMapper oodMapper(int outlier) {
        byte[] lut = new byte[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = (byte) (v == outlier ? LabelValues.ANOMALY : v == LabelValues.VOID ? LabelValues.VOID
                    : LabelValues.INLIER);
        }
        PngEncoder.ByteTable bytes = new PngEncoder.ByteTable(lut);
        return new PngEncoder.RowMapper() {
            @Override
            public void map(int[] values, int from, int n, int[] out, int to) {
                oodValues(values, from, n, out, to, outlier);
            }

            @Override
            public PngEncoder.ByteTable bytes() {
                return bytes;
            }
        };
    }

    private PasteResult paint(Scene scene, List<PasteObject> objects, List<Placement> placements,
            boolean withOod) {
        if (objects.size() != placements.size()) {
            throw new IllegalArgumentException(objects.size() + " objects for " + placements.size() + " placements");
        }
        int iw = scene.width();
        int ih = scene.height();
        RgbImage out = scene.image();
        LabelMap train = scene.trainIds();
        LabelMap labels = scene.labelIds();
        LabelMap inst = scene.instanceIds();
        List<BoxMask> painted = new ArrayList<>();
        List<Integer> paintedIndex = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            Placement p = placements.get(i);
            PasteObject t = ObjectTransforms.apply(objects.get(i), p.scale(), p.rotationDeg(), p.flip());
            BoxMask box = clip(t, p.x(), p.y(), iw, ih);
            if (box == null) {
                continue; // entirely outside the image: nothing to paste
            }
            RgbImage pix = cropPixels(t, p.x(), p.y(), box);
            if (p.colorMatch() > 0 || p.brightness() != 1.0) {
                adjustColours(pix, box, out, p.colorMatch(), p.brightness());
            }
            switch (p.blend()) {
                case HARD -> blendHard(out, pix, box);
                case FEATHER -> blendFeather(out, pix, box, p.featherSigma());
                case POISSON -> blendPoisson(out, pix, box);
                default -> throw new IllegalStateException("unknown blend " + p.blend());
            }
            paintLabels(box, train, labels, inst);
            painted.add(box);
            paintedIndex.add(i);
        }
        LabelMap ood = withOod ? oodLabel(train) : null;
        List<PastedInstance> instances = visibleInstances(painted, paintedIndex, objects, ih, iw);
        return new PasteResult(out, train, labels, inst, ood, instances);
    }

    /** The object's mask clipped to the image, or null if nothing of it is inside. */
    private static BoxMask clip(PasteObject t, int px, int py, int iw, int ih) {
        int w = t.rgb().width();
        int h = t.rgb().height();
        int x0 = Math.max(0, px);
        int y0 = Math.max(0, py);
        int x1 = Math.min(iw, px + w);
        int y1 = Math.min(ih, py + h);
        if (x0 >= x1 || y0 >= y1) {
            return null;
        }
        int bw = x1 - x0;
        int bh = y1 - y0;
        byte[] bits = new byte[bw * bh];
        boolean any = false;
        for (int y = 0; y < bh; y++) {
            int srow = (y + y0 - py) * w + (x0 - px);
            System.arraycopy(t.mask(), srow, bits, y * bw, bw);
        }
        for (byte b : bits) {
            if (b != 0) {
                any = true;
                break;
            }
        }
        return any ? new BoxMask(x0, y0, bw, bh, bits) : null;
    }

    private static RgbImage cropPixels(PasteObject t, int px, int py, BoxMask box) {
        int w = t.rgb().width();
        byte[] src = t.rgb().data();
        byte[] d = new byte[box.w() * box.h() * 3];
        for (int y = 0; y < box.h(); y++) {
            int s = ((y + box.y() - py) * w + (box.x() - px)) * 3;
            System.arraycopy(src, s, d, y * box.w() * 3, box.w() * 3);
        }
        return new RgbImage(box.w(), box.h(), d);
    }

    /**
     * Moves the object's per-channel mean and standard deviation towards those of the destination pixels under its
     * box by {@code strength}, then multiplies by {@code gain}.
     */
    static void adjustColours(RgbImage pix, BoxMask box, RgbImage dst, double strength, double gain) {
        double[] objSum = new double[3];
        double[] objSq = new double[3];
        double[] dstSum = new double[3];
        double[] dstSq = new double[3];
        long n = 0;
        long m = 0;
        byte[] pd = pix.data();
        byte[] dd = dst.data();
        int dw = dst.width();
        for (int y = 0; y < box.h(); y++) {
            for (int x = 0; x < box.w(); x++) {
                int di = ((y + box.y()) * dw + x + box.x()) * 3;
                for (int c = 0; c < 3; c++) {
                    double v = dd[di + c] & 0xff;
                    dstSum[c] += v;
                    dstSq[c] += v * v;
                }
                m++;
                if (box.bits()[y * box.w() + x] != 0) {
                    int pi = (y * box.w() + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        double v = pd[pi + c] & 0xff;
                        objSum[c] += v;
                        objSq[c] += v * v;
                    }
                    n++;
                }
            }
        }
        double[] mul = new double[3];
        double[] add = new double[3];
        for (int c = 0; c < 3; c++) {
            double mo = objSum[c] / n;
            double so = Math.sqrt(Math.max(0, objSq[c] / n - mo * mo));
            double md = dstSum[c] / m;
            double sd = Math.sqrt(Math.max(0, dstSq[c] / m - md * md));
            double mt = mo + strength * (md - mo);
            double st = so + strength * (sd - so);
            double k = so > 1e-6 ? st / so : 1.0;
            mul[c] = k * gain;
            add[c] = (mt - k * mo) * gain;
        }
        for (int i = 0; i < pd.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                long v = Math.round((pd[i + c] & 0xff) * mul[c] + add[c]);
                pd[i + c] = (byte) Math.max(0, Math.min(255, v));
            }
        }
    }

    private static void blendHard(RgbImage dst, RgbImage pix, BoxMask box) {
        byte[] dd = dst.data();
        byte[] pd = pix.data();
        int dw = dst.width();
        byte[] bits = box.bits();
        for (int y = 0; y < box.h(); y++) {
            int drow = ((y + box.y()) * dw + box.x()) * 3;
            int brow = y * box.w();
            for (int x = 0; x < box.w(); x++) {
                if (bits[brow + x] != 0) {
                    int di = drow + x * 3;
                    int pi = (brow + x) * 3;
                    dd[di] = pd[pi];
                    dd[di + 1] = pd[pi + 1];
                    dd[di + 2] = pd[pi + 2];
                }
            }
        }
    }

    /**
     * Alpha = 2 * (G * mask) - 1 clamped to [0, 1], zero outside the mask: fully opaque inside, fading to zero at the
     * object's border over about {@code 2 sigma} pixels.
     */
    private static void blendFeather(RgbImage dst, RgbImage pix, BoxMask box, double sigma) {
        if (sigma <= 0) {
            blendHard(dst, pix, box);
            return;
        }
        OpenCv.ensureLoaded();
        int pad = (int) Math.ceil(3 * sigma) + 1;
        int w = box.w() + 2 * pad;
        int h = box.h() + 2 * pad;
        float[] m = new float[w * h];
        for (int y = 0; y < box.h(); y++) {
            for (int x = 0; x < box.w(); x++) {
                m[(y + pad) * w + x + pad] = box.bits()[y * box.w() + x] != 0 ? 1f : 0f;
            }
        }
        Mat src = new Mat(h, w, CvType.CV_32FC1);
        Mat blur = new Mat();
        try {
            src.put(0, 0, m);
            Imgproc.GaussianBlur(src, blur, new Size(0, 0), sigma, sigma, Core.BORDER_CONSTANT);
            blur.get(0, 0, m);
        } finally {
            src.release();
            blur.release();
        }
        byte[] dd = dst.data();
        byte[] pd = pix.data();
        int dw = dst.width();
        for (int y = 0; y < box.h(); y++) {
            for (int x = 0; x < box.w(); x++) {
                if (box.bits()[y * box.w() + x] == 0) {
                    continue;
                }
                float a = Math.max(0f, Math.min(1f, 2f * m[(y + pad) * w + x + pad] - 1f));
                int di = ((y + box.y()) * dw + x + box.x()) * 3;
                int pi = (y * box.w() + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float v = a * (pd[pi + c] & 0xff) + (1f - a) * (dd[di + c] & 0xff);
                    dd[di + c] = (byte) Math.round(v);
                }
            }
        }
    }

    /**
     * Poisson blending with OpenCV's seamlessClone over the mask's box, which must stay one pixel inside the image;
     * mask pixels on the image border are pasted hard.
     */
    private static void blendPoisson(RgbImage dst, RgbImage pix, BoxMask box) {
        int dw = dst.width();
        int dh = dst.height();
        // seamlessClone needs the cloned region strictly inside the destination
        int x0 = Math.max(box.x(), 1);
        int y0 = Math.max(box.y(), 1);
        int x1 = Math.min(box.x() + box.w(), dw - 1);
        int y1 = Math.min(box.y() + box.h(), dh - 1);
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (box.bits()[(y - box.y()) * box.w() + x - box.x()] != 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0 || maxX - minX < 2 || maxY - minY < 2) {
            blendHard(dst, pix, box);
            return;
        }
        OpenCv.ensureLoaded();
        // work on a window around the object with a margin, so the full frame is not converted
        int mx0 = Math.max(0, minX - 2);
        int my0 = Math.max(0, minY - 2);
        int mx1 = Math.min(dw, maxX + 3);
        int my1 = Math.min(dh, maxY + 3);
        int ww = mx1 - mx0;
        int wh = my1 - my0;
        RgbImage window = new RgbImage(ww, wh, new byte[ww * wh * 3]);
        RgbImage srcWin = new RgbImage(ww, wh, new byte[ww * wh * 3]);
        byte[] maskWin = new byte[ww * wh];
        for (int y = 0; y < wh; y++) {
            System.arraycopy(dst.data(), ((y + my0) * dw + mx0) * 3, window.data(), y * ww * 3, ww * 3);
        }
        for (int y = 0; y < wh; y++) {
            for (int x = 0; x < ww; x++) {
                int gx = x + mx0;
                int gy = y + my0;
                int bx = gx - box.x();
                int by = gy - box.y();
                boolean inBox = bx >= 0 && by >= 0 && bx < box.w() && by < box.h();
                if (inBox) {
                    System.arraycopy(pix.data(), (by * box.w() + bx) * 3, srcWin.data(), (y * ww + x) * 3, 3);
                    boolean inner = gx >= x0 && gx < x1 && gy >= y0 && gy < y1;
                    maskWin[y * ww + x] = inner && box.bits()[by * box.w() + bx] != 0 ? (byte) 255 : 0;
                } else {
                    System.arraycopy(window.data(), (y * ww + x) * 3, srcWin.data(), (y * ww + x) * 3, 3);
                }
            }
        }
        Mat d = Mats.fromRgb(window);
        Mat s = Mats.fromRgb(srcWin);
        Mat mk = new Mat(wh, ww, CvType.CV_8UC1);
        Mat res = new Mat();
        try {
            mk.put(0, 0, maskWin);
            Rect r = new Rect(minX - mx0, minY - my0, maxX - minX + 1, maxY - minY + 1);
            Point centre = new Point(r.x + r.width / 2, r.y + r.height / 2);
            Photo.seamlessClone(s, d, mk, centre, res, Photo.NORMAL_CLONE);
            RgbImage cloned = Mats.toRgb(res);
            blendHard(dst, pix, box); // mask pixels on the image border, which the clone cannot reach
            for (int y = 0; y < wh; y++) {
                for (int x = 0; x < ww; x++) {
                    if (maskWin[y * ww + x] != 0) {
                        System.arraycopy(cloned.data(), (y * ww + x) * 3, dst.data(),
                                ((y + my0) * dw + x + mx0) * 3, 3);
                    }
                }
            }
        } finally {
            d.release();
            s.release();
            mk.release();
            res.release();
        }
    }

    private void paintLabels(BoxMask box, LabelMap train, LabelMap labels, LabelMap inst) {
        paint(box, train, outlierTrainId);
        paint(box, labels, outlierLabelId);
        paint(box, inst, outlierLabelId);
    }

    /**
     * Sets the box's masked pixels of {@code map} (none: null) to {@code value}, in its samples when it is stored as
     * samples that hold the value ({@link LabelMap#bytes()}, {@link LabelMap#bytes16()}), else in its ints.
     */
    private static void paint(BoxMask box, LabelMap map, int value) {
        if (map == null) {
            return;
        }
        int w = map.width();
        byte[] b = value >= 0 && value <= 255 ? map.bytes() : null;
        byte[] b16 = value >= 0 && value <= 65535 ? map.bytes16() : null;
        int[] d = b == null && b16 == null ? map.data() : null;
        byte hi = (byte) (value >>> 8);
        byte lo = (byte) value;
        byte[] bits = box.bits();
        for (int y = 0; y < box.h(); y++) {
            int row = (y + box.y()) * w + box.x();
            for (int x = 0; x < box.w(); x++) {
                if (bits[y * box.w() + x] != 0) {
                    if (b != null) {
                        b[row + x] = lo;
                    } else if (b16 != null) {
                        b16[2 * (row + x)] = hi;
                        b16[2 * (row + x) + 1] = lo;
                    } else {
                        d[row + x] = value;
                    }
                }
            }
        }
    }

    private LabelMap oodLabel(LabelMap train) {
        int[] td = train.data();
        int[] o = new int[td.length];
        oodValues(td, 0, td.length, o, 0, outlierTrainId);
        return new LabelMap(train.width(), train.height(), o);
    }

    /**
     * {@code o[to + i]}: ANOMALY where {@code train[from + i]} is the outlier train id, else VOID where it is void,
     * else INLIER, for {@code i < n}. (Label maps come in long runs of one value, so the branches predict well: a
     * branch-free form with offsets measured 3x slower, 2.4 against 0.8 ms a 2048x1024 map.)
     */
    static void oodValues(int[] train, int from, int n, int[] o, int to, int outlierTrainId) {
        for (int i = 0; i < n; i++) {
            int v = train[from + i];
            o[to + i] = v == outlierTrainId ? LabelValues.ANOMALY : v == LabelValues.VOID ? LabelValues.VOID
                    : LabelValues.INLIER;
        }
    }

    /** Each painted object's pixels minus those of objects painted after it. */
    private static List<PastedInstance> visibleInstances(List<BoxMask> painted, List<Integer> index,
            List<PasteObject> objects, int ih, int iw) {
        List<PastedInstance> out = new ArrayList<>();
        for (int k = 0; k < painted.size(); k++) {
            BoxMask b = painted.get(k);
            byte[] vis = b.bits().clone();
            for (int j = k + 1; j < painted.size(); j++) {
                BoxMask o = painted.get(j);
                int x0 = Math.max(b.x(), o.x());
                int y0 = Math.max(b.y(), o.y());
                int x1 = Math.min(b.x() + b.w(), o.x() + o.w());
                int y1 = Math.min(b.y() + b.h(), o.y() + o.h());
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        if (o.bits()[(y - o.y()) * o.w() + x - o.x()] != 0) {
                            vis[(y - b.y()) * b.w() + x - b.x()] = 0;
                        }
                    }
                }
            }
            BoxMask v = new BoxMask(b.x(), b.y(), b.w(), b.h(), vis);
            io.roadneg.datasets.coco.Rle rle = v.toRle(ih, iw);
            if (rle.area() > 0) {
                PasteObject src = objects.get(index.get(k));
                out.add(new PastedInstance(index.get(k), src.sourceId(), src.categoryId(), src.categoryName(), rle));
            }
        }
        return out;
    }
}
