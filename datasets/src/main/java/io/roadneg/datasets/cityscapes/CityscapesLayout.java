package io.roadneg.datasets.cityscapes;

import io.roadneg.datasets.Names;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File naming of a Cityscapes tree: {@code {root}/{type}/{split}/{city}/{city}_{seq:06d}_{frame:06d}_{type}{suffix}}.
 */
public final class CityscapesLayout {
    /** Image folder and file suffix. */
    public static final String LEFT_IMG = "leftImg8bit";
    /** Fine annotation folder. */
    public static final String GT_FINE = "gtFine";
    /** Splits of the official release. */
    public static final java.util.List<String> SPLITS = java.util.List.of("train", "val", "test");

    private static final Pattern FRAME_NAME = Pattern.compile("([A-Za-z0-9-]+)_(\\d{6})_(\\d{6})_leftImg8bit\\.png");

    private CityscapesLayout() {
    }

    /**
     * A frame id: city, sequence and frame number.
     *
     * @param city city name (e.g. "aachen")
     * @param seq sequence number
     * @param frame frame number
     */
    public record FrameId(String city, int seq, int frame) {
        /** Validates the parts so they format back to a real Cityscapes name. */
        public FrameId {
            if (!isCityName(city)) {
                throw new IllegalArgumentException("city must be letters, digits or '-', found " + city);
            }
            if (seq < 0 || seq > 999_999 || frame < 0 || frame > 999_999) {
                throw new IllegalArgumentException("seq and frame must be 0..999999, found " + seq + ", " + frame);
            }
        }

        /** {@code city_seq_frame}, the stem shared by every file of the frame. */
        public String stem() {
            StringBuilder sb = new StringBuilder(32).append(city).append('_');
            Names.appendZeroPadded(sb, seq, 6).append('_');
            return Names.appendZeroPadded(sb, frame, 6).toString();
        }

        @Override
        public String toString() {
            return stem();
        }
    }

    /** Whether {@code city} is a non-empty run of ASCII letters, digits and '-' (the city part of a frame name). */
    static boolean isCityName(String city) {
        if (city == null || city.isEmpty()) {
            return false;
        }
        for (int i = 0; i < city.length(); i++) {
            char c = city.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Parses a {@code ..._leftImg8bit.png} file name, or returns null if the name does not follow the layout. */
    public static FrameId parseImageName(String fileName) {
        Matcher m = FRAME_NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        return new FrameId(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** {@code root/leftImg8bit/split/city/stem_leftImg8bit.png}. */
    public static Path image(Path root, String split, FrameId id) {
        return root.resolve(LEFT_IMG).resolve(split).resolve(id.city()).resolve(id.stem() + "_leftImg8bit.png");
    }

    /** {@code root/gtFine/split/city/stem_gtFine_{kind}}, kind e.g. "labelIds.png", "polygons.json". */
    public static Path gtFine(Path root, String split, FrameId id, String kind) {
        return root.resolve(GT_FINE).resolve(split).resolve(id.city()).resolve(id.stem() + "_gtFine_" + kind);
    }

    public static Path labelIds(Path root, String split, FrameId id) {
        return gtFine(root, split, id, "labelIds.png");
    }

    public static Path labelTrainIds(Path root, String split, FrameId id) {
        return gtFine(root, split, id, "labelTrainIds.png");
    }

    public static Path instanceIds(Path root, String split, FrameId id) {
        return gtFine(root, split, id, "instanceIds.png");
    }

    public static Path color(Path root, String split, FrameId id) {
        return gtFine(root, split, id, "color.png");
    }

    public static Path polygons(Path root, String split, FrameId id) {
        return gtFine(root, split, id, "polygons.json");
    }
}
