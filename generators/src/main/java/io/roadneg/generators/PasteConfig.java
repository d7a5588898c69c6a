package io.roadneg.generators;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.roadneg.datasets.image.PngEncoder;
import io.roadneg.pasting.BlendMode;
import java.util.List;

/**
 * A paste recipe: where objects come from, where and how large they land, how they blend and what the labels say.
 * Every number of a reference recipe is a field here, and has no default in the code: the presets in
 * {@code configs/} state every one, and a config file overlays a preset.
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
        required(source, "source");
        required(placement, "placement");
        required(blend, "blend");
        required(labels, "labels");
        required(output, "output");
        required(name, "name");
    }

    /**
     * A field's value; a missing one is an error, not a default: every number of a recipe is stated in its YAML
     * (the presets in {@code configs/} state them all, and a config file overlays one).
     */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required (a recipe states every field: start from a "
                    + "preset)");
        }
        return value;
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
     * @param area optional, {@code [min, max]} fractions of the destination frame's area: when given, each object's
     *     pasted area is drawn log-uniformly from it and the object is rescaled to it (scale =
     *     sqrt(drawn area / the object's mask area)), in place of {@code scales}, {@code scaleRange}, the
     *     {@code referenceWidth} geometry and, in {@code road} mode, the perspective height (the contact point still
     *     comes from the road). It lets sources with different own geometry paste the same area distribution
     *     ({@code gen ablate}'s {@code area: matched}); empty or absent: the recipe's own geometry.
     */
    public record PlacementConfig(String mode, Integer cropSize, List<Integer> objects, Double probability,
            List<Double> scales, List<Double> scaleRange, List<Double> heightRatio, List<Integer> roadTrainIds,
            Double rotation, Double flipProbability, Integer referenceWidth,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include
                    .NON_EMPTY) List<Double> area) {
        public PlacementConfig {
            area = area == null ? List.of() : List.copyOf(area);
            if (!area.isEmpty()) {
                range(area, "placement.area", 1e-6, 1);
            }
            mode = required(mode, "placement.mode");
            if (!List.of("image", "crop", "road").contains(mode)) {
                throw new IllegalArgumentException("placement.mode must be image, crop or road, found " + mode);
            }
            cropSize = required(cropSize, "placement.cropSize");
            objects = List.copyOf(required(objects, "placement.objects"));
            if (objects.size() != 2 || objects.get(0) < 0 || objects.get(1) < objects.get(0)) {
                throw new IllegalArgumentException("placement.objects must be [min, max] with 0 <= min <= max, found "
                        + objects);
            }
            probability = required(probability, "placement.probability");
            if (probability < 0 || probability > 1) {
                throw new IllegalArgumentException("placement.probability must be in [0, 1], found " + probability);
            }
            scales = List.copyOf(required(scales, "placement.scales"));
            scaleRange = List.copyOf(required(scaleRange, "placement.scaleRange"));
            range(scaleRange, "placement.scaleRange", 1e-3, 1e3);
            heightRatio = List.copyOf(required(heightRatio, "placement.heightRatio"));
            range(heightRatio, "placement.heightRatio", 1e-3, 10);
            roadTrainIds = List.copyOf(required(roadTrainIds, "placement.roadTrainIds"));
            rotation = required(rotation, "placement.rotation");
            flipProbability = required(flipProbability, "placement.flipProbability");
            referenceWidth = required(referenceWidth, "placement.referenceWidth");
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
            mode = required(mode, "blend.mode");
            featherSigma = required(featherSigma, "blend.featherSigma");
            if (featherSigma < 0) {
                throw new IllegalArgumentException("blend.featherSigma must be >= 0, found " + featherSigma);
            }
            colorMatch = List.copyOf(required(colorMatch, "blend.colorMatch"));
            range(colorMatch, "blend.colorMatch", 0, 1);
            brightness = List.copyOf(required(brightness, "blend.brightness"));
            range(brightness, "blend.brightness", 0.01, 100);
        }
    }

    /** Values of pasted pixels in the trainId and labelId maps. */
    public record LabelsConfig(Integer outlierTrainId, Integer outlierLabelId) {
        public LabelsConfig {
            outlierTrainId = required(outlierTrainId, "labels.outlierTrainId");
            outlierLabelId = required(outlierLabelId, "labels.outlierLabelId");
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
     * @param pngCodec the deflate of the photographs at level 1: {@code isal} (ISA-L's igzip, the default: about 3.5x
     *     zlib's speed, files about 6 % larger; zlib where its native library does not load) or {@code zlib}
     * @param preview number of outputs shown in the preview sheet
     */
    public record OutputConfig(Integer pngLevel, String pngCodec, Integer preview) {
        public OutputConfig {
            pngLevel = required(pngLevel, "output.pngLevel");
            pngCodec = pngCodec == null ? "isal" : pngCodec;
            preview = required(preview, "output.preview");
            if (pngLevel < 0 || pngLevel > 9 || preview < 0) {
                throw new IllegalArgumentException("output: pngLevel must be 0..9 and preview >= 0, found " + pngLevel
                        + ", " + preview);
            }
            if (!pngCodec.equals("isal") && !pngCodec.equals("zlib")) {
                throw new IllegalArgumentException("output.pngCodec must be isal or zlib, found " + pngCodec);
            }
        }

        /** The encoder's codec for {@link #pngCodec()}. */
        public PngEncoder.Codec codec() {
            return pngCodec.equals("zlib") ? PngEncoder.Codec.ZLIB : PngEncoder.Codec.ISAL;
        }
    }
}
