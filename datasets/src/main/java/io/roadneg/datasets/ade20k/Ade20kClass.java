package io.roadneg.datasets.ade20k;

/**
 * One row of {@code objectInfo150.csv}.
 *
 * @param idx class index as stored in the annotation PNGs (1..150; 0 is "other")
 * @param ratio fraction of training pixels
 * @param train number of training images containing the class
 * @param val number of validation images containing the class
 * @param stuff whether the class is stuff (amorphous) rather than a thing
 * @param name the WordNet-style name, synonyms separated by ';' (e.g. "building;edifice")
 */
public record Ade20kClass(int idx, double ratio, int train, int val, boolean stuff, String name) {
    /** The first synonym ("building" for "building;edifice"). */
    public String shortName() {
        int i = name.indexOf(';');
        return i < 0 ? name : name.substring(0, i);
    }
}
