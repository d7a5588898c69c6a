package io.roadneg.datasets.cityscapes;

import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.PngEncoder;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one frame of a Cityscapes tree exactly as the official release and its preparation script lay it out:
 * {@code leftImg8bit} image, and under {@code gtFine} the labelIds (8-bit), labelTrainIds (8-bit), instanceIds
 * (16-bit), color and polygons.json files. Every file is written atomically; PNGs carry the given provenance text.
 */
public final class CityscapesWriter {

    /**
     * One object of {@code _gtFine_polygons.json}: a Cityscapes class name and its outline in pixel coordinates.
     * Objects are listed back to front: a later polygon paints over an earlier one, as in the official
     * {@code json2labelImg} script.
     *
     * @param label Cityscapes class name ("road", "car", ...)
     * @param polygon vertices as {@code [x, y]} pairs
     */
    public record LabelledPolygon(String label, List<int[]> polygon) {
        /** Checks the label is a Cityscapes class and the polygon has at least three vertices. */
        public LabelledPolygon {
            if (CityscapesLabels.byName(label).isEmpty()) {
                throw new IllegalArgumentException("polygon label must be a Cityscapes class, found " + label);
            }
            if (polygon.size() < 3) {
                throw new IllegalArgumentException("polygon of " + label + " needs 3 vertices, found "
                        + polygon.size());
            }
            polygon = List.copyOf(polygon);
        }
    }

    private final int pngLevel;
    private final PngEncoder.Codec codec;
    private final Map<String, String> provenance;

    /**
     * @param pngLevel zlib level of the PNGs (0..9)
     * @param codec the deflate of the RGB PNGs at level 1 ({@link PngEncoder.Codec#ZLIB} for bytes that depend only
     *     on the zlib build, as the golden sample data needs)
     * @param provenance text chunks added to every PNG (may be empty; keep timestamps out for reproducible bytes)
     */
    public CityscapesWriter(int pngLevel, PngEncoder.Codec codec, Map<String, String> provenance) {
        this.codec = java.util.Objects.requireNonNull(codec, "codec");
        if (pngLevel < 0 || pngLevel > 9) {
            throw new IllegalArgumentException("PNG level must be 0..9, found " + pngLevel);
        }
        this.pngLevel = pngLevel;
        this.provenance = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
    }

    /**
     * Writes the six files of one frame under {@code root}.
     *
     * @param labelIds Cityscapes labelIds 0..33
     * @param instanceIds {@code id * 1000 + k} for pixels of instance classes, the plain labelId otherwise
     */
    public void write(Path root, String split, CityscapesLayout.FrameId id, RgbImage image, LabelMap labelIds,
            LabelMap instanceIds, List<LabelledPolygon> polygons) {
        checkConsistent(image, labelIds, instanceIds);
        Images.writePng(CityscapesLayout.image(root, split, id), image, pngLevel, codec, provenance);
        AtomicFiles.write(CityscapesLayout.labelIds(root, split, id), Images.encodePng(labelIds, pngLevel, provenance));
        AtomicFiles.write(CityscapesLayout.labelTrainIds(root, split, id),
                Images.encodePng(CityscapesLabels.toTrainIds(labelIds), pngLevel, provenance));
        AtomicFiles.write(CityscapesLayout.instanceIds(root, split, id),
                Images.encodePng16(instanceIds, pngLevel, provenance));
        Images.writePng(CityscapesLayout.color(root, split, id), colorize(labelIds), pngLevel, codec, provenance);
        AtomicFiles.write(CityscapesLayout.polygons(root, split, id),
                polygonsJson(labelIds.width(), labelIds.height(), polygons));
    }

    /** The {@code _gtFine_color.png} rendering: each labelId in its official colour. */
    public static RgbImage colorize(LabelMap labelIds) {
        RgbImage out = RgbImage.blank(labelIds.width(), labelIds.height());
        int[] d = labelIds.data();
        for (int i = 0; i < d.length; i++) {
            out.setRgb(i % labelIds.width(), i / labelIds.width(), CityscapesLabels.colorOfId(d[i]));
        }
        return out;
    }

    /** The bytes of a {@code _gtFine_polygons.json} file. */
    public static byte[] polygonsJson(int width, int height, List<LabelledPolygon> polygons) {
        List<CityscapesPolygons.PolygonObject> objects = polygons.stream()
                .map(p -> new CityscapesPolygons.PolygonObject(p.label(), p.polygon())).toList();
        return new CityscapesPolygons(height, width, objects).toBytes();
    }

    private static void checkConsistent(RgbImage image, LabelMap labelIds, LabelMap instanceIds) {
        if (image.width() != labelIds.width() || image.height() != labelIds.height()
                || instanceIds.width() != labelIds.width() || instanceIds.height() != labelIds.height()) {
            throw new IllegalArgumentException("image " + image + ", labelIds " + labelIds + " and instanceIds "
                    + instanceIds + " must have one size");
        }
        int[] lab = labelIds.data();
        int[] inst = instanceIds.data();
        for (int i = 0; i < lab.length; i++) {
            int id = lab[i];
            if (id < 0 || id > 33) {
                throw new IllegalArgumentException("labelId must be 0..33, found " + id + " at pixel " + i);
            }
            // instance pixels must agree with their class, or the official evaluation mixes classes up
            int owner = inst[i] >= 1000 ? inst[i] / 1000 : inst[i];
            if (owner != id) {
                throw new IllegalArgumentException("instanceId " + inst[i] + " disagrees with labelId " + id
                        + " at pixel " + i);
            }
        }
    }
}
