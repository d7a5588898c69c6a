package io.roadneg.generators;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.roadneg.datasets.LabelValues;
import io.roadneg.pasting.BlendMode;
import java.util.List;

/**
 * A paste recipe: where objects come from, where and how large they land, how they blend and what the labels say.
 * Every number of a reference recipe is a field here; presets in {@code configs/} set them.
 *
 * @param version config format version (1)
 * @param name recipe name, written into provenance
 * @param source the outlier source
 * @param placement where objects go and how many
 * @param blend how they are mixed in
 * @param labels the values pasted pixels take
 * @param output encoding and preview settings
 */
public record PasteConfig(int version, String name, Source source, PlacementConfig placement, BlendConfig blend,
        LabelsConfig labels, OutputConfig output) {
    /** Checks the version and that every section is present. */
    public PasteConfig {
        if (version != 1) {
            throw new IllegalArgumentException("version must be 1, found " + version);
        }
        require(source, "source");
        require(placement, "placement");
        require(blend, "blend");
        labels = labels == null ? new LabelsConfig(LabelValues.PASTED_OUTLIER, LabelValues.PASTED_OUTLIER) : labels;
        output = output == null ? new OutputConfig(1, 16) : output;
        name = name == null ? "custom" : name;
    }

    private static void require(Object o, String field) {
        if (o == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    /** Checks a {@code [min, max]} range field; the message names the field and the value. */
    public static void range(List<Double> r, String field, double lo, double hi) {
        if (r == null || r.size() != 2 || r.get(0) > r.get(1) || r.get(0) < lo || r.get(1) > hi) {
            throw new IllegalArgumentException(field + " must be [min, max] within [" + lo + ", " + hi + "], found "
                    + r);
        }
    }

    /**
     * The outlier source section, chosen by {@code type}. Each type is a record of an {@link OutlierSourceProvider},
     * registered with the config mapper when a recipe is bound ({@link OutlierSources#configTypes()}), so a new
     * source adds its record without an edit here.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    public interface Source {
    }




    /**
     * Placement.
     *
     * @param mode {@code image}: uniform over the whole image; {@code crop}: uniform inside a random
     *     {@code cropSize} square window (where the reference pastes into its training crop); {@code road}: standing
     *     on the road, scaled by the perspective model
     * @param cropSize crop window side for {@code crop}
     * @param objects number of objects per output, [min, max]
     * @param probability fraction of outputs that get any object (Mask2Anomaly mixes 20%)
     * @param scales discrete scale factors, one drawn uniformly (empty: use {@code scaleRange})
     * @param scaleRange uniform scale range when {@code scales} is empty
     * @param heightRatio for {@code road}: object height / camera height range; the pixel height is
     *     {@code (row - horizon) * ratio}
     * @param roadTrainIds trainIds that count as road for {@code road}
     * @param rotation maximum absolute rotation in degrees
     * @param flipProbability probability of a horizontal flip
     * @param referenceWidth destination width the recipe's pixel sizes are stated for (2048, full-resolution
     *     Cityscapes): in {@code image} and {@code crop} mode the object scale, the crop window and the feather sigma
     *     are multiplied by destination width / referenceWidth, so a recipe keeps its proportions on downsampled
     *     frames (the 512-wide sample scenes get a quarter); 0 keeps them absolute. {@code road} placement sizes
     *     objects by the scene's perspective and ignores it.
     */
    public record PlacementConfig(String mode, Integer cropSize, List<Integer> objects, Double probability,
            List<Double> scales, List<Double> scaleRange, List<Double> heightRatio, List<Integer> roadTrainIds,
            Double rotation, Double flipProbability, Integer referenceWidth) {
        public PlacementConfig {
            mode = mode == null ? "image" : mode;
            if (!List.of("image", "crop", "road").contains(mode)) {
                throw new IllegalArgumentException("placement.mode must be image, crop or road, found " + mode);
            }
            cropSize = cropSize == null ? 700 : cropSize;
            objects = objects == null ? List.of(1, 1) : List.copyOf(objects);
            if (objects.size() != 2 || objects.get(0) < 0 || objects.get(1) < objects.get(0)) {
                throw new IllegalArgumentException("placement.objects must be [min, max] with 0 <= min <= max, found "
                        + objects);
            }
            probability = probability == null ? 1.0 : probability;
            if (probability < 0 || probability > 1) {
                throw new IllegalArgumentException("placement.probability must be in [0, 1], found " + probability);
            }
            scales = scales == null ? List.of() : List.copyOf(scales);
            scaleRange = scaleRange == null ? List.of(1.0, 1.0) : List.copyOf(scaleRange);
            range(scaleRange, "placement.scaleRange", 1e-3, 1e3);
            heightRatio = heightRatio == null ? List.of(0.1, 0.5) : List.copyOf(heightRatio);
            range(heightRatio, "placement.heightRatio", 1e-3, 10);
            roadTrainIds = roadTrainIds == null ? List.of(0) : List.copyOf(roadTrainIds);
            rotation = rotation == null ? 0.0 : rotation;
            flipProbability = flipProbability == null ? 0.0 : flipProbability;
            referenceWidth = referenceWidth == null ? 2048 : referenceWidth;
            if (referenceWidth < 0) {
                throw new IllegalArgumentException("placement.referenceWidth must be >= 0, found " + referenceWidth);
            }
            if (cropSize < 1 || rotation < 0 || rotation > 180 || flipProbability < 0 || flipProbability > 1) {
                throw new IllegalArgumentException("placement: cropSize >= 1, rotation in [0, 180] and "
                        + "flipProbability in [0, 1] required, found " + cropSize + ", " + rotation + ", "
                        + flipProbability);
            }
        }
    }

    /**
     * Blending.
     *
     * @param mode hard, feather or poisson
     * @param featherSigma Gaussian sigma of feathered edges
     * @param colorMatch range of colour-matching strength
     * @param brightness range of brightness gain
     */
    public record BlendConfig(BlendMode mode, Double featherSigma, List<Double> colorMatch, List<Double> brightness) {
        public BlendConfig {
            mode = mode == null ? BlendMode.HARD : mode;
            featherSigma = featherSigma == null ? 2.0 : featherSigma;
            if (featherSigma < 0) {
                throw new IllegalArgumentException("blend.featherSigma must be >= 0, found " + featherSigma);
            }
            colorMatch = colorMatch == null ? List.of(0.0, 0.0) : List.copyOf(colorMatch);
            range(colorMatch, "blend.colorMatch", 0, 1);
            brightness = brightness == null ? List.of(1.0, 1.0) : List.copyOf(brightness);
            range(brightness, "blend.brightness", 0.01, 100);
        }
    }

    /** Values of pasted pixels in the trainId and labelId maps. */
    public record LabelsConfig(Integer outlierTrainId, Integer outlierLabelId) {
        public LabelsConfig {
            outlierTrainId = outlierTrainId == null ? LabelValues.PASTED_OUTLIER : outlierTrainId;
            outlierLabelId = outlierLabelId == null ? LabelValues.PASTED_OUTLIER : outlierLabelId;
            if (outlierTrainId < 0 || outlierTrainId > 254 || outlierLabelId < 34 || outlierLabelId > 254) {
                throw new IllegalArgumentException("labels: outlierTrainId must be 0..254 and outlierLabelId 34..254 "
                        + "(outside the Cityscapes ids), found " + outlierTrainId + ", " + outlierLabelId);
            }
        }
    }

    /**
     * Output settings.
     *
     * @param pngLevel zlib level of every PNG (1: fastest with near-best size on street scenes)
     * @param preview number of outputs shown in the preview sheet
     */
    public record OutputConfig(Integer pngLevel, Integer preview) {
        public OutputConfig {
            pngLevel = pngLevel == null ? 1 : pngLevel;
            preview = preview == null ? 16 : preview;
            if (pngLevel < 0 || pngLevel > 9 || preview < 0) {
                throw new IllegalArgumentException("output: pngLevel must be 0..9 and preview >= 0, found " + pngLevel
                        + ", " + preview);
            }
        }
    }
}
