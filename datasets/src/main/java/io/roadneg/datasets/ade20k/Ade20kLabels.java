package io.roadneg.datasets.ade20k;

import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ADE20K SceneParsing class table ({@code objectInfo150.csv}: {@code Idx,Ratio,Train,Val,Stuff,Name}), read from
 * a release or built from the standard names. Annotation value {@code i} is class {@code i}; 0 is "other".
 */
public final class Ade20kLabels {
    /** The exact header line of objectInfo150.csv. */
    public static final String HEADER = "Idx,Ratio,Train,Val,Stuff,Name";
    /** Number of classes (annotation values 1..150). */
    public static final int NUM_CLASSES = 150;

    /** The 150 SceneParsing class names in index order (index i + 1), synonyms separated by ';'. */
    public static final List<String> NAMES = List.of("wall", "building;edifice", "sky", "floor;flooring", "tree",
            "ceiling", "road;route", "bed", "windowpane;window", "grass", "cabinet", "sidewalk;pavement",
            "person;individual;someone;somebody;mortal;soul", "earth;ground", "door;double;door", "table",
            "mountain;mount", "plant;flora;plant;life", "curtain;drape;drapery;mantle;pall", "chair",
            "car;auto;automobile;machine;motorcar", "water", "painting;picture", "sofa;couch;lounge", "shelf", "house",
            "sea", "mirror", "rug;carpet;carpeting", "field", "armchair", "seat", "fence;fencing", "desk",
            "rock;stone", "wardrobe;closet;press", "lamp", "bathtub;bathing;tub;bath;tub", "railing;rail", "cushion",
            "base;pedestal;stand", "box", "column;pillar", "signboard;sign", "chest;of;drawers;chest;bureau;dresser",
            "counter", "sand", "sink", "skyscraper", "fireplace;hearth;open;fireplace", "refrigerator;icebox",
            "grandstand;covered;stand", "path", "stairs;steps", "runway", "case;display;case;showcase;vitrine",
            "pool;table;billiard;table;snooker;table", "pillow", "screen;door;screen", "stairway;staircase", "river",
            "bridge;span", "bookcase", "blind;screen", "coffee;table;cocktail;table",
            "toilet;can;commode;crapper;pot;potty;stool;throne", "flower", "book", "hill", "bench", "countertop",
            "stove;kitchen;stove;range;kitchen;range;cooking;stove", "palm;palm;tree", "kitchen;island",
            "computer;computing;machine;computing;device;data;processor;electronic;computer;information;processing;"
                    + "system",
            "swivel;chair", "boat", "bar", "arcade;machine", "hovel;hut;hutch;shack;shanty",
            "bus;autobus;coach;charabanc;double-decker;jitney;motorbus;motorcoach;omnibus;passenger;vehicle", "towel",
            "light;light;source", "truck;motortruck", "tower", "chandelier;pendant;pendent", "awning;sunshade;sunblind",
            "streetlight;street;lamp", "booth;cubicle;stall;kiosk",
            "television;television;receiver;television;set;tv;tv;set;idiot;box;boob;tube;telly;goggle;box",
            "airplane;aeroplane;plane", "dirt;track", "apparel;wearing;apparel;dress;clothes", "pole",
            "land;ground;soil", "bannister;banister;balustrade;balusters;handrail",
            "escalator;moving;staircase;moving;stairway", "ottoman;pouf;pouffe;puff;hassock", "bottle",
            "buffet;counter;sideboard", "poster;posting;placard;notice;bill;card", "stage", "van", "ship", "fountain",
            "conveyer;belt;conveyor;belt;conveyer;conveyor;transporter", "canopy",
            "washer;automatic;washer;washing;machine", "plaything;toy", "swimming;pool;swimming;bath;natatorium",
            "stool", "barrel;cask", "basket;handbasket", "waterfall;falls", "tent;collapsible;shelter", "bag",
            "minibike;motorbike", "cradle", "oven", "ball", "food;solid;food", "step;stair", "tank;storage;tank",
            "trade;name;brand;name;brand;marque", "microwave;microwave;oven", "pot;flowerpot",
            "animal;animate;being;beast;brute;creature;fauna", "bicycle;bike;wheel;cycle", "lake",
            "dishwasher;dish;washer;dishwashing;machine", "screen;silver;screen;projection;screen", "blanket;cover",
            "sculpture", "hood;exhaust;hood", "sconce", "vase", "traffic;light;traffic;signal;stoplight", "tray",
            "ashcan;trash;can;garbage;can;wastebin;ash;bin;ash-bin;ashbin;dustbin;trash;barrel;trash;bin", "fan",
            "pier;wharf;wharfage;dock", "crt;screen", "plate", "monitor;monitoring;device",
            "bulletin;board;notice;board", "shower", "radiator", "glass;drinking;glass", "clock", "flag");

    /** Indices of the classes the release flags as stuff (Stuff = 1). */
    public static final java.util.Set<Integer> STUFF = java.util.Set.of(1, 2, 3, 4, 6, 7, 10, 12, 14, 17, 22, 26, 27,
            29, 30, 47, 49, 52, 53, 55, 60, 61, 62, 69, 80, 85, 92, 95, 97, 102, 106, 110, 114, 129, 141);

    private final List<Ade20kClass> classes;

    /** Wraps a complete table (150 rows, indices 1..150 in order). */
    public Ade20kLabels(List<Ade20kClass> classes) {
        if (classes.size() != NUM_CLASSES) {
            throw new IllegalArgumentException("ADE20K table needs 150 classes, found " + classes.size());
        }
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).idx() != i + 1) {
                throw new IllegalArgumentException("ADE20K class " + (i + 1) + " has Idx " + classes.get(i).idx());
            }
        }
        this.classes = List.copyOf(classes);
    }

    /**
     * The standard names and stuff flags with the given statistics (the sample generator measures its own).
     *
     * @param ratio per class index 1..150 (element 0 unused): fraction of training pixels
     * @param train per class index: training images containing it
     * @param val per class index: validation images containing it
     */
    public static Ade20kLabels standard(double[] ratio, int[] train, int[] val) {
        List<Ade20kClass> out = new ArrayList<>(NUM_CLASSES);
        for (int i = 1; i <= NUM_CLASSES; i++) {
            out.add(new Ade20kClass(i, ratio[i], train[i], val[i], STUFF.contains(i), NAMES.get(i - 1)));
        }
        return new Ade20kLabels(out);
    }

    /** Reads {@code objectInfo150.csv}; a bad header, row or value is an {@link InputException} naming it. */
    public static Ade20kLabels read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(csv, null, null, "file not found");
        } catch (IOException e) {
            throw new InputException(csv, null, null, "cannot read: " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).replace("\uFEFF", "").strip().equals(HEADER)) {
            throw new InputException(csv, "header", lines.isEmpty() ? "" : lines.get(0),
                    "expected " + HEADER);
        }
        List<Ade20kClass> out = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", 6);
            if (f.length != 6) {
                throw new InputException(csv, "line " + (n + 1), line, "expected 6 comma-separated fields");
            }
            int idx = parseInt(csv, n, "Idx", f[0]);
            if (idx != out.size() + 1) {
                throw new InputException(csv, "line " + (n + 1) + " Idx", f[0], "expected " + (out.size() + 1));
            }
            double ratio;
            try {
                ratio = Double.parseDouble(f[1]);
            } catch (NumberFormatException e) {
                throw new InputException(csv, "line " + (n + 1) + " Ratio", f[1], "not a number");
            }
            int stuff = parseInt(csv, n, "Stuff", f[4]);
            if (stuff != 0 && stuff != 1) {
                throw new InputException(csv, "line " + (n + 1) + " Stuff", f[4], "must be 0 or 1");
            }
            String name = f[5].strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            out.add(new Ade20kClass(idx, ratio, parseInt(csv, n, "Train", f[2]), parseInt(csv, n, "Val", f[3]),
                    stuff == 1, name));
        }
        if (out.size() != NUM_CLASSES) {
            throw new InputException(csv, "rows", out.size(), "expected " + NUM_CLASSES + " classes");
        }
        return new Ade20kLabels(out);
    }

    private static int parseInt(Path csv, int line, String field, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new InputException(csv, "line " + (line + 1) + " " + field, v, "not an integer");
        }
    }

    /** The classes in index order. */
    public List<Ade20kClass> classes() {
        return classes;
    }

    /** The class with annotation value {@code idx} (1..150). */
    public Ade20kClass byIdx(int idx) {
        if (idx < 1 || idx > NUM_CLASSES) {
            throw new IllegalArgumentException("ADE20K class index must be 1..150, found " + idx);
        }
        return classes.get(idx - 1);
    }

    /** The class whose first synonym is {@code shortName} ("building", "car", ...). */
    public Optional<Ade20kClass> byShortName(String shortName) {
        return classes.stream().filter(c -> c.shortName().equals(shortName)).findFirst();
    }

    /** The file form: header and one row per class, '\n' line ends, Ratio with four decimals. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Ade20kClass c : classes) {
            sb.append(c.idx()).append(',').append(String.format(java.util.Locale.ROOT, "%.4f", c.ratio())).append(',')
                    .append(c.train()).append(',').append(c.val()).append(',').append(c.stuff() ? 1 : 0).append(',')
                    .append(c.name()).append('\n');
        }
        return sb.toString();
    }

    /** The standard 1-based index of a name's first synonym, or -1. */
    public static int standardIndex(String shortName) {
        for (int i = 0; i < NAMES.size(); i++) {
            String n = NAMES.get(i);
            int k = n.indexOf(';');
            if ((k < 0 ? n : n.substring(0, k)).equals(shortName)) {
                return i + 1;
            }
        }
        return -1;
    }
}
