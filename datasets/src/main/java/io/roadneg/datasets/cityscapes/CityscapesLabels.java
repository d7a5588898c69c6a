package io.roadneg.datasets.cityscapes;

import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.image.LabelMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The Cityscapes label space as data: the official table and the labelId / trainId conversions. */
public final class CityscapesLabels {
    /** Number of trainIds used in training and evaluation (0..18). */
    public static final int NUM_TRAIN_CLASSES = 19;

    /** The official table, in labelId order (license plate last). */
    public static final List<CityscapesLabel> ALL = List.of(
            l("unlabeled", 0, 255, "void", false, true, 0x000000),
            l("ego vehicle", 1, 255, "void", false, true, 0x000000),
            l("rectification border", 2, 255, "void", false, true, 0x000000),
            l("out of roi", 3, 255, "void", false, true, 0x000000),
            l("static", 4, 255, "void", false, true, 0x000000),
            l("dynamic", 5, 255, "void", false, true, 0x6f4a00),
            l("ground", 6, 255, "void", false, true, 0x510051),
            l("road", 7, 0, "flat", false, false, 0x804080),
            l("sidewalk", 8, 1, "flat", false, false, 0xf423e8),
            l("parking", 9, 255, "flat", false, true, 0xfaaaa0),
            l("rail track", 10, 255, "flat", false, true, 0xe6968c),
            l("building", 11, 2, "construction", false, false, 0x464646),
            l("wall", 12, 3, "construction", false, false, 0x66669c),
            l("fence", 13, 4, "construction", false, false, 0xbe9999),
            l("guard rail", 14, 255, "construction", false, true, 0xb4a5b4),
            l("bridge", 15, 255, "construction", false, true, 0x965a5a),
            l("tunnel", 16, 255, "construction", false, true, 0x96785a),
            l("pole", 17, 5, "object", false, false, 0x999999),
            l("polegroup", 18, 255, "object", false, true, 0x999999),
            l("traffic light", 19, 6, "object", false, false, 0xfaaa1e),
            l("traffic sign", 20, 7, "object", false, false, 0xdcdc00),
            l("vegetation", 21, 8, "nature", false, false, 0x6b8e23),
            l("terrain", 22, 9, "nature", false, false, 0x98fb98),
            l("sky", 23, 10, "sky", false, false, 0x4682b4),
            l("person", 24, 11, "human", true, false, 0xdc143c),
            l("rider", 25, 12, "human", true, false, 0xff0000),
            l("car", 26, 13, "vehicle", true, false, 0x00008e),
            l("truck", 27, 14, "vehicle", true, false, 0x000046),
            l("bus", 28, 15, "vehicle", true, false, 0x003c64),
            l("caravan", 29, 255, "vehicle", true, true, 0x00005a),
            l("trailer", 30, 255, "vehicle", true, true, 0x00006e),
            l("train", 31, 16, "vehicle", true, false, 0x005064),
            l("motorcycle", 32, 17, "vehicle", true, false, 0x0000e6),
            l("bicycle", 33, 18, "vehicle", true, false, 0x770b20),
            l("license plate", -1, -1, "vehicle", false, true, 0x00008e));

    private static final Map<String, CityscapesLabel> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(CityscapesLabel::name, Function.identity()));
    private static final CityscapesLabel[] BY_ID = new CityscapesLabel[34];
    private static final CityscapesLabel[] BY_TRAIN_ID = new CityscapesLabel[NUM_TRAIN_CLASSES];
    private static final int[] ID_TO_TRAIN = new int[256];

    static {
        Arrays.fill(ID_TO_TRAIN, LabelValues.VOID);
        for (CityscapesLabel lab : ALL) {
            if (lab.id() >= 0) {
                BY_ID[lab.id()] = lab;
                ID_TO_TRAIN[lab.id()] = lab.trainId();
            }
            if (lab.trainId() >= 0 && lab.trainId() < NUM_TRAIN_CLASSES) {
                BY_TRAIN_ID[lab.trainId()] = lab;
            }
        }
    }

    private CityscapesLabels() {
    }

    private static CityscapesLabel l(String name, int id, int trainId, String cat, boolean inst, boolean ignore,
            int color) {
        return new CityscapesLabel(name, id, trainId, cat, inst, ignore, color);
    }

    /** The label with this name ("road", "car", ...). */
    public static Optional<CityscapesLabel> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The label with this labelId (0..33). */
    public static CityscapesLabel byId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("Cityscapes labelId must be 0..33, found " + id);
        }
        return BY_ID[id];
    }

    /** The label with this trainId (0..18). */
    public static CityscapesLabel byTrainId(int trainId) {
        if (trainId < 0 || trainId >= NUM_TRAIN_CLASSES) {
            throw new IllegalArgumentException("Cityscapes trainId must be 0..18, found " + trainId);
        }
        return BY_TRAIN_ID[trainId];
    }

    /** The labelId of a named class, failing loudly for an unknown name. */
    public static int id(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("unknown Cityscapes class " + name)).id();
    }

    /**
     * A 256-entry lookup from labelId to trainId, as the official {@code createTrainIdLabelImgs} script applies it
     * (unknown values map to 255).
     */
    public static int[] idToTrainIdLut() {
        return ID_TO_TRAIN.clone();
    }

    /** Converts a labelIds map to a labelTrainIds map. */
    public static LabelMap toTrainIds(LabelMap labelIds) {
        int[] lut = ID_TO_TRAIN;
        int[] src = labelIds.data();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int v = src[i];
            out[i] = v >= 0 && v < 256 ? lut[v] : LabelValues.VOID;
        }
        return new LabelMap(labelIds.width(), labelIds.height(), out);
    }

    /**
     * A 256-entry lookup from trainId to the labelId that represents it (255 maps to 0 "unlabeled"); the inverse used
     * when a trainId prediction must be written in labelIds form.
     */
    public static int[] trainIdToIdLut() {
        int[] lut = new int[256];
        for (int t = 0; t < NUM_TRAIN_CLASSES; t++) {
            lut[t] = BY_TRAIN_ID[t].id();
        }
        return lut;
    }

    /** The colour of a labelId as 0xRRGGBB. */
    public static int colorOfId(int id) {
        return byId(id).color();
    }
}
