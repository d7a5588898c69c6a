package io.roadneg.generators.sources;

import io.roadneg.datasets.image.ByteLanes;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.pasting.PasteObject;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Resizing and cropping of an image together with its label map, as the reference loaders do it. */
final class Crops {
    private Crops() {
    }

    /** Image bilinear, labels nearest, to {@code w x h}. */
    static RgbImage resizeImage(RgbImage img, int w, int h) {
        if (img.width() == w && img.height() == h) {
            return img;
        }
        OpenCv.ensureLoaded();
        Mat m = Mats.fromRgb(img);
        Mat r = new Mat();
        try {
            Imgproc.resize(m, r, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
            return Mats.toRgb(r);
        } finally {
            m.release();
            r.release();
        }
    }

    /** Nearest-neighbour resize of a label map (values 0..65535). */
    static LabelMap resizeLabel(LabelMap lab, int w, int h) {
        if (lab.width() == w && lab.height() == h) {
            return lab;
        }
        OpenCv.ensureLoaded();
        Mat m = Mats.fromLabel(lab, CvType.CV_16UC1);
        Mat r = new Mat();
        try {
            Imgproc.resize(m, r, new Size(w, h), 0, 0, Imgproc.INTER_NEAREST);
            return Mats.toLabel(r);
        } finally {
            m.release();
            r.release();
        }
    }

    /** The window {@code [x, x+w) x [y, y+h)}; parts outside the image are filled with {@code fill}. */
    static RgbImage cropImage(RgbImage img, int x, int y, int w, int h, int fill) {
        RgbImage out = RgbImage.blank(w, h);
        if (fill != 0) {
            for (int i = 0; i < w * h; i++) {
                out.setRgb(i % w, i / w, fill);
            }
        }
        for (int yy = 0; yy < h; yy++) {
            int sy = y + yy;
            if (sy < 0 || sy >= img.height()) {
                continue;
            }
            int sx0 = Math.max(0, x);
            int sx1 = Math.min(img.width(), x + w);
            if (sx0 < sx1) {
                System.arraycopy(img.data(), (sy * img.width() + sx0) * 3, out.data(), (yy * w + sx0 - x) * 3,
                        (sx1 - sx0) * 3);
            }
        }
        return out;
    }

    /** The window of a label map; outside parts get {@code fill}. */
    static LabelMap cropLabel(LabelMap lab, int x, int y, int w, int h, int fill) {
        LabelMap out = LabelMap.filled(w, h, fill);
        for (int yy = 0; yy < h; yy++) {
            int sy = y + yy;
            if (sy < 0 || sy >= lab.height()) {
                continue;
            }
            int sx0 = Math.max(0, x);
            int sx1 = Math.min(lab.width(), x + w);
            if (sx0 < sx1) {
                System.arraycopy(lab.data(), sy * lab.width() + sx0, out.data(), yy * w + sx0 - x, sx1 - sx0);
            }
        }
        return out;
    }

    /**
     * The object made of the pixels where {@code mask} is set, cut to their bounding box; null when fewer than
     * {@code minArea} pixels are set.
     */
    static PasteObject cutOut(RgbImage img, byte[] mask, int minArea, String sourceId, int categoryId,
            String categoryName) {
        int w = img.width();
        int h = img.height();
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        int area = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int end = row + w;
            int i = ByteLanes.nextNonZero(mask, row, end);
            if (i == end) {
                continue;
            }
            y0 = Math.min(y0, y);
            y1 = y;
            x0 = Math.min(x0, i - row);
            int last = i;
            while (i < end) {
                if (mask[i] != 0) {
                    area++;
                    last = i++;
                } else {
                    i = ByteLanes.nextNonZero(mask, i, end);
                }
            }
            x1 = Math.max(x1, last - row);
        }
        if (area < minArea || area == 0) {
            return null;
        }
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        RgbImage crop = cropImage(img, x0, y0, bw, bh, 0);
        byte[] m = new byte[bw * bh];
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                m[y * bw + x] = mask[(y + y0) * w + x + x0] != 0 ? (byte) 1 : 0;
            }
        }
        return new PasteObject(crop, m, sourceId, categoryId, categoryName);
    }
}
