package io.roadneg.pasting;

import io.roadneg.datasets.image.Mats;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Flip, scale and rotation of an object, deterministic (OpenCV's fixed-point 8-bit resampling). The mask is resampled
 * bilinearly and thresholded at one half, so its edge follows the pixels' edge.
 */
public final class ObjectTransforms {
    private ObjectTransforms() {
    }

    /** Width and height of an object of size {@code w x h} after {@code scale} and {@code rotationDeg}. */
    public static int[] outputSize(int w, int h, double scale, double rotationDeg) {
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        if (rotationDeg % 360 == 0) {
            return new int[] {sw, sh};
        }
        double r = Math.toRadians(rotationDeg);
        double c = Math.abs(Math.cos(r));
        double s = Math.abs(Math.sin(r));
        return new int[] {(int) Math.ceil(sw * c + sh * s - 1e-9), (int) Math.ceil(sw * s + sh * c - 1e-9)};
    }

    /** Applies flip, then scale, then rotation about the centre (the canvas grows to hold the rotated object). */
    public static PasteObject apply(PasteObject o, double scale, double rotationDeg, boolean flip) {
        RgbImage rgb = o.rgb();
        byte[] mask = o.mask();
        int w = rgb.width();
        int h = rgb.height();
        if (flip) {
            byte[] d = new byte[w * h * 3];
            byte[] m = new byte[w * h];
            byte[] src = rgb.data();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = w - 1 - x;
                    System.arraycopy(src, (y * w + sx) * 3, d, (y * w + x) * 3, 3);
                    m[y * w + x] = mask[y * w + sx];
                }
            }
            rgb = new RgbImage(w, h, d);
            mask = m;
        }
        boolean scaled = scale != 1.0;
        boolean rotated = rotationDeg % 360 != 0;
        if (!scaled && !rotated) {
            return flip ? new PasteObject(rgb, mask, o.sourceId(), o.categoryId(), o.categoryName()) : o;
        }
        OpenCv.ensureLoaded();
        Mat img = Mats.fromRgb(rgb);
        Mat msk = new Mat(h, w, CvType.CV_8UC1);
        byte[] m255 = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            m255[i] = mask[i] != 0 ? (byte) 255 : 0;
        }
        msk.put(0, 0, m255);
        try {
            if (scaled) {
                int[] sz = outputSize(w, h, scale, 0);
                Size size = new Size(sz[0], sz[1]);
                int interp = scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
                Mat a = new Mat();
                Mat b = new Mat();
                Imgproc.resize(img, a, size, 0, 0, interp);
                Imgproc.resize(msk, b, size, 0, 0, Imgproc.INTER_LINEAR);
                img.release();
                msk.release();
                img = a;
                msk = b;
            }
            if (rotated) {
                int cw = img.cols();
                int ch = img.rows();
                int[] sz = outputSize(cw, ch, 1.0, rotationDeg);
                Mat rot = Imgproc.getRotationMatrix2D(new Point((cw - 1) / 2.0, (ch - 1) / 2.0), rotationDeg, 1.0);
                // move the centre of the grown canvas to the centre of the rotated object
                rot.put(0, 2, rot.get(0, 2)[0] + (sz[0] - cw) / 2.0);
                rot.put(1, 2, rot.get(1, 2)[0] + (sz[1] - ch) / 2.0);
                Mat a = new Mat();
                Mat b = new Mat();
                Size size = new Size(sz[0], sz[1]);
                Imgproc.warpAffine(img, a, rot, size, Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
                Imgproc.warpAffine(msk, b, rot, size, Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0));
                rot.release();
                img.release();
                msk.release();
                img = a;
                msk = b;
            }
            RgbImage out = Mats.toRgb(img);
            byte[] mb = new byte[msk.rows() * msk.cols()];
            msk.get(0, 0, mb);
            for (int i = 0; i < mb.length; i++) {
                mb[i] = (mb[i] & 0xff) >= 128 ? (byte) 1 : 0;
            }
            return new PasteObject(out, mb, o.sourceId(), o.categoryId(), o.categoryName());
        } finally {
            img.release();
            msk.release();
        }
    }
}
