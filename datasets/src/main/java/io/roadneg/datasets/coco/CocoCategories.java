package io.roadneg.datasets.coco;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The 80 COCO thing categories with their official ids (1..90, ten ids unused) and supercategories. */
public final class CocoCategories {
    /** The official table in id order. */
    public static final List<CocoCategory> THINGS = List.of(
            c(1, "person", "person"), c(2, "bicycle", "vehicle"), c(3, "car", "vehicle"),
            c(4, "motorcycle", "vehicle"), c(5, "airplane", "vehicle"), c(6, "bus", "vehicle"),
            c(7, "train", "vehicle"), c(8, "truck", "vehicle"), c(9, "boat", "vehicle"),
            c(10, "traffic light", "outdoor"), c(11, "fire hydrant", "outdoor"), c(13, "stop sign", "outdoor"),
            c(14, "parking meter", "outdoor"), c(15, "bench", "outdoor"), c(16, "bird", "animal"),
            c(17, "cat", "animal"), c(18, "dog", "animal"), c(19, "horse", "animal"), c(20, "sheep", "animal"),
            c(21, "cow", "animal"), c(22, "elephant", "animal"), c(23, "bear", "animal"), c(24, "zebra", "animal"),
            c(25, "giraffe", "animal"), c(27, "backpack", "accessory"), c(28, "umbrella", "accessory"),
            c(31, "handbag", "accessory"), c(32, "tie", "accessory"), c(33, "suitcase", "accessory"),
            c(34, "frisbee", "sports"), c(35, "skis", "sports"), c(36, "snowboard", "sports"),
            c(37, "sports ball", "sports"), c(38, "kite", "sports"), c(39, "baseball bat", "sports"),
            c(40, "baseball glove", "sports"), c(41, "skateboard", "sports"), c(42, "surfboard", "sports"),
            c(43, "tennis racket", "sports"), c(44, "bottle", "kitchen"), c(46, "wine glass", "kitchen"),
            c(47, "cup", "kitchen"), c(48, "fork", "kitchen"), c(49, "knife", "kitchen"), c(50, "spoon", "kitchen"),
            c(51, "bowl", "kitchen"), c(52, "banana", "food"), c(53, "apple", "food"), c(54, "sandwich", "food"),
            c(55, "orange", "food"), c(56, "broccoli", "food"), c(57, "carrot", "food"), c(58, "hot dog", "food"),
            c(59, "pizza", "food"), c(60, "donut", "food"), c(61, "cake", "food"), c(62, "chair", "furniture"),
            c(63, "couch", "furniture"), c(64, "potted plant", "furniture"), c(65, "bed", "furniture"),
            c(67, "dining table", "furniture"), c(70, "toilet", "furniture"), c(72, "tv", "electronic"),
            c(73, "laptop", "electronic"), c(74, "mouse", "electronic"), c(75, "remote", "electronic"),
            c(76, "keyboard", "electronic"), c(77, "cell phone", "electronic"), c(78, "microwave", "appliance"),
            c(79, "oven", "appliance"), c(80, "toaster", "appliance"), c(81, "sink", "appliance"),
            c(82, "refrigerator", "appliance"), c(84, "book", "indoor"), c(85, "clock", "indoor"),
            c(86, "vase", "indoor"), c(87, "scissors", "indoor"), c(88, "teddy bear", "indoor"),
            c(89, "hair drier", "indoor"), c(90, "toothbrush", "indoor"));

    /**
     * The Meta-OOD exclusion list: images containing any of these are dropped because the classes overlap with
     * Cityscapes.
     */
    public static final List<String> META_OOD_EXCLUDED = List.of("person", "bicycle", "car", "motorcycle", "bus",
            "truck", "traffic light", "stop sign");

    private static final Map<String, CocoCategory> BY_NAME =
            THINGS.stream().collect(Collectors.toUnmodifiableMap(CocoCategory::name, Function.identity()));
    private static final Map<Integer, CocoCategory> BY_ID =
            THINGS.stream().collect(Collectors.toUnmodifiableMap(CocoCategory::id, Function.identity()));

    private CocoCategories() {
    }

    private static CocoCategory c(int id, String name, String supercategory) {
        return new CocoCategory(id, name, supercategory);
    }

    /** The category with this name. */
    public static Optional<CocoCategory> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The category with this id. */
    public static Optional<CocoCategory> byId(int id) {
        return Optional.ofNullable(BY_ID.get(id));
    }
}
