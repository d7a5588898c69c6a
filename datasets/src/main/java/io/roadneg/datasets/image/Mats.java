package io.roadneg.datasets.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Conversions between OpenCV {@link Mat}s and the plain-array images of this package (caller releases Mats). */
public final class Mats {
    private Mats() {
    }

    /** A BGR 8UC3 Mat to an RGB image. */
    public static RgbImage toRgb(Mat bgr) {
        OpenCv.ensureLoaded();
        if (bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected an 8UC3 Mat, found type " + bgr.type());
        }
        Mat rgb = new Mat();
        try {
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            byte[] d = new byte[rgb.rows() * rgb.cols() * 3];
            rgb.get(0, 0, d);
            return new RgbImage(rgb.cols(), rgb.rows(), d);
        } finally {
            rgb.release();
        }
    }

    /** An RGB image to a new BGR 8UC3 Mat. */
    public static Mat fromRgb(RgbImage img) {
        OpenCv.ensureLoaded();
        Mat rgb = new Mat(img.height(), img.width(), CvType.CV_8UC3);
        rgb.put(0, 0, img.data());
        Mat bgr = new Mat();
        Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
        rgb.release();
        return bgr;
    }

    /** An 8UC1 or 16UC1 Mat to a label map (unsigned values). */
    public static LabelMap toLabel(Mat m) {
        int w = m.cols();
        int h = m.rows();
        int[] out = new int[w * h];
        if (m.type() == CvType.CV_8UC1) {
            byte[] d = new byte[w * h];
            m.get(0, 0, d);
            for (int i = 0; i < d.length; i++) {
                out[i] = d[i] & 0xff;
            }
        } else if (m.type() == CvType.CV_16UC1) {
            short[] d = new short[w * h];
            m.get(0, 0, d);
            for (int i = 0; i < d.length; i++) {
                out[i] = d[i] & 0xffff;
            }
        } else {
            throw new IllegalArgumentException("expected an 8UC1 or 16UC1 Mat, found type " + m.type());
        }
        return new LabelMap(w, h, out);
    }

    /** A label map to a new Mat of type CV_8UC1 or CV_16UC1 (values must fit). */
    public static Mat fromLabel(LabelMap label, int type) {
        OpenCv.ensureLoaded();
        int[] src = label.data();
        Mat m = new Mat(label.height(), label.width(), type);
        if (type == CvType.CV_8UC1) {
            byte[] d = new byte[src.length];
            for (int i = 0; i < src.length; i++) {
                d[i] = (byte) src[i];
            }
            m.put(0, 0, d);
        } else if (type == CvType.CV_16UC1) {
            short[] d = new short[src.length];
            for (int i = 0; i < src.length; i++) {
                d[i] = (short) src[i];
            }
            m.put(0, 0, d);
        } else {
            m.release();
            throw new IllegalArgumentException("unsupported Mat type " + type);
        }
        return m;
    }
}
