package io.roadneg.pasting;

import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;

/**
 * A destination: its image and label maps (trainIds required; labelIds and instanceIds when the dataset has them).
 * The compositor never changes a scene; it returns new maps.
 */
public record Scene(RgbImage image, LabelMap trainIds, LabelMap labelIds, LabelMap instanceIds) {
    /** Checks that every map has the image's size. */
    public Scene {
        check(image, trainIds, "trainIds");
        if (labelIds != null) {
            check(image, labelIds, "labelIds");
        }
        if (instanceIds != null) {
            check(image, instanceIds, "instanceIds");
        }
    }

    private static void check(RgbImage img, LabelMap m, String name) {
        if (m.width() != img.width() || m.height() != img.height()) {
            throw new IllegalArgumentException(name + " is " + m.width() + "x" + m.height() + " but the image is "
                    + img.width() + "x" + img.height());
        }
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }
}
