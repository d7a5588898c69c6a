package io.roadneg.datasets.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.coco.CocoCategories;
import io.roadneg.datasets.coco.CocoCategory;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The COCO-layout object set: pictures of objects on two-tone backgrounds with real category ids (animals, boxes,
 * tyres and debris of the kinds the anomaly frames show, see {@link OddObjects}, and textured shapes), written as
 * {@code annotations/instances_{train,val}2017.json} and {@code {train,val}2017/{id:012d}.jpg}. Annotations cycle
 * through the three segmentation forms (polygons, uncompressed RLE with iscrowd 1, compressed RLE); image 0 of each
 * split is a large image without annotations and every third image holds a class the Meta-OOD rules exclude.
 * Areas are pixel counts of this package's rasteriser (pixel centres inside, even-odd), not pycocotools' polygon
 * rasteriser.
 */
final class CocoSample {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[][] SIZES = {{640, 480}, {500, 500}, {320, 240}, {480, 640}, {400, 300}, {640, 427}};

    private CocoSample() {
    }

    static int write(Path root, SampleDataOptions o, Progress progress, Map<String, Path> roots,
            Map<String, Integer> counts) {
        roots.put("coco", root);
        int files = 0;
        for (String split : List.of("train", "val")) {
            int n = split.equals("train") ? o.scale().cocoTrain : o.scale().cocoVal;
            ArrayNode images = JSON.createArrayNode();
            ArrayNode annotations = JSON.createArrayNode();
            for (int i = 0; i < n; i++) {
                long imageId = (split.equals("train") ? 100_000 : 200_000) + 37L * i + 1;
                image(root.resolve(split + "2017"), imageId, i, o, images, annotations);
                files++;
                progress.step(1);
            }
            writeInstancesJson(root.resolve("annotations/instances_" + split + "2017.json"), images, annotations);
            files++;
            counts.put("coco/" + split + "2017", n);
        }
        return files;
    }

    private static void image(Path dir, long imageId, int index, SampleDataOptions o, ArrayNode images,
            ArrayNode annotations) {
        SplittableRandom rng = Seeds.splittable(o.seed(), "coco/" + dir.getFileName(), index);
        int[] size = SIZES[index % SIZES.length];
        int w = size[0];
        int h = size[1];
        Canvas c = new Canvas(w, h, rng.nextLong(), 0.9 + 0.2 * rng.nextDouble(), new double[] {1, 1, 1});
        double split = h * (0.45 + 0.3 * rng.nextDouble());
        c.paint(Shapes.one(Shapes.rect(0, 0, w, split)), Material.jittered(rng, 0xb0a898, 40).withBlotch(0.2, 20));
        c.paint(Shapes.one(Shapes.rect(0, split, w, h)), Material.jittered(rng, 0x806850, 40).withBlotch(0.3, 6)
                .withShade(0.9, 1.1));
        int objects = index == 0 ? 0 : 1 + rng.nextInt(3);
        List<CocoCategory> kept = new ArrayList<>();
        for (CocoCategory cat : CocoCategories.THINGS) {
            if (!CocoCategories.META_OOD_EXCLUDED.contains(cat.name())) {
                kept.add(cat);
            }
        }
        for (int k = 0; k < objects; k++) {
            CocoCategory cat = index % 3 == 1 && k == 0
                    ? CocoCategories.byName(CocoCategories.META_OOD_EXCLUDED.get(index / 3
                            % CocoCategories.META_OOD_EXCLUDED.size())).orElseThrow()
                    : kept.get(rng.nextInt(kept.size()));
            // one column per object so that masks never overlap and polygons equal the visible pixels
            double cw = (double) w / objects;
            double cx = cw * (k + 0.5) + (rng.nextDouble() - 0.5) * cw * 0.2;
            double cy = h * (0.4 + 0.2 * rng.nextDouble());
            double rx = cw * (0.15 + 0.15 * rng.nextDouble());
            double ry = h * (0.12 + 0.15 * rng.nextDouble());
            int form = (int) ((imageId + k) % 3);
            OddObjects.Kind kind = oddKind(rng, cat);
            List<double[]> rings;
            if (kind != null) {
                OddObjects.Drawn d = OddObjects.flat(rng, kind, cx, cy, rx, ry, form != 0);
                rings = round2(d.rings());
                c.fill(rings, 1, k + 1, 0, d.material());
                if (d.detail() != null) {
                    c.paintWithin(Shapes.one(d.detail()), k + 1, OddObjects.TAPE);
                }
            } else {
                rings = round2(shape(rng, form, cx, cy, rx, ry));
                Material m = Material.jittered(rng, rng.nextInt(0x1000000), 20)
                        .withBlotch(0.3 + 0.4 * rng.nextDouble(), 2 + rng.nextInt(10)).withShade(1.2, 0.8);
                c.fill(rings, 1, k + 1, 0, m);
            }
            annotations.add(annotation(imageId * 10 + k, imageId, cat.id(), form, rings, c.instances, k + 1, w, h));
        }
        String file = String.format("%012d.jpg", imageId);
        AtomicFiles.write(dir.resolve(file), Images.encodeJpeg(c.image(), SampleData.JPEG_QUALITY));
        ObjectNode img = images.addObject();
        img.put("license", 1);
        img.put("file_name", file);
        img.put("height", h);
        img.put("width", w);
        img.put("id", imageId);
    }

    /** Shape by form: polygons get one or two simple outlines, RLE forms may get a ring with a hole. */
    private static List<double[]> shape(SplittableRandom rng, int form, double cx, double cy, double rx, double ry) {
        List<double[]> rings = new ArrayList<>();
        switch (rng.nextInt(3)) {
            case 0 -> rings.add(Shapes.blob(rng, cx, cy, rx, ry, 20, 0.2));
            case 1 -> rings.add(Shapes.star(cx, cy, Math.min(rx, ry), Math.min(rx, ry) * 0.5, 5 + rng.nextInt(3),
                    rng.nextDouble()));
            default -> {
                rings.add(Shapes.ellipse(cx, cy - ry * 0.45, rx, ry * 0.5, 24));
                rings.add(Shapes.rect(cx - rx * 0.3, cy + ry * 0.1, cx + rx * 0.3, cy + ry));
            }
        }
        if (form != 0 && rings.size() == 1) {
            rings.add(Shapes.ellipse(cx, cy, rx * 0.25, ry * 0.25, 16)); // a hole only a mask can hold
        }
        return rings;
    }

    /**
     * The odd-object kind a category is drawn as (animals, bags and cases as boxes, balls and the like as tyres, a
     * third of the rest as debris), or null for a random textured shape in a random colour.
     */
    private static OddObjects.Kind oddKind(SplittableRandom rng, CocoCategory cat) {
        if (CocoCategories.META_OOD_EXCLUDED.contains(cat.name())) {
            return null;
        }
        return switch (cat.supercategory()) {
            case "animal" -> OddObjects.Kind.ANIMAL;
            case "accessory" -> OddObjects.Kind.BOX;
            case "sports" -> OddObjects.Kind.TYRE;
            default -> rng.nextInt(3) == 0 ? OddObjects.Kind.DEBRIS : null;
        };
    }

    /** COCO stores polygon coordinates with two decimals; draw from exactly those. */
    private static List<double[]> round2(List<double[]> rings) {
        for (double[] r : rings) {
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.round(r[i] * 100) / 100.0;
            }
        }
        return rings;
    }

    private static ObjectNode annotation(long id, long imageId, int categoryId, int form, List<double[]> rings,
            int[] instances, int instance, int w, int h) {
        byte[] mask = new byte[w * h];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (instances[i] == instance ? 1 : 0);
        }
        Rle rle = Rle.fromRowMajor(mask, h, w);
        ObjectNode a = JSON.createObjectNode();
        ObjectNode seg;
        switch (form) {
            case 0 -> {
                ArrayNode polys = a.putArray("segmentation");
                double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
                for (double[] r : rings) {
                    ArrayNode poly = polys.addArray();
                    for (int i = 0; i < r.length; i += 2) {
                        double x = Math.min(w, Math.max(0, r[i]));
                        double y = Math.min(h, Math.max(0, r[i + 1]));
                        poly.add(x).add(y);
                        box[0] = Math.min(box[0], x);
                        box[1] = Math.min(box[1], y);
                        box[2] = Math.max(box[2], x);
                        box[3] = Math.max(box[3], y);
                    }
                }
                a.put("area", (double) rle.area());
                a.putArray("bbox").add(box[0]).add(box[1]).add(round2(box[2] - box[0])).add(round2(box[3] - box[1]));
                a.put("iscrowd", 0);
            }
            case 1 -> {
                seg = a.putObject("segmentation");
                seg.putArray("counts").addAll(longs(rle.counts()));
                seg.putArray("size").add(h).add(w);
                rleBox(a, rle);
                a.put("iscrowd", 1);
            }
            default -> {
                seg = a.putObject("segmentation");
                seg.putArray("size").add(h).add(w);
                seg.put("counts", rle.toCompressedString());
                rleBox(a, rle);
                a.put("iscrowd", 0);
            }
        }
        a.put("image_id", imageId);
        a.put("category_id", categoryId);
        a.put("id", id);
        return a;
    }

    private static void rleBox(ObjectNode a, Rle rle) {
        a.put("area", (double) rle.area());
        ArrayNode bbox = a.putArray("bbox");
        for (double v : rle.bbox()) {
            bbox.add(v);
        }
    }

    private static ArrayNode longs(long[] v) {
        ArrayNode n = JSON.createArrayNode();
        for (long x : v) {
            n.add(x);
        }
        return n;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The instances file: info, licenses, images, annotations and all 80 categories, compact as COCO ships it. */
    private static void writeInstancesJson(Path file, ArrayNode images, ArrayNode annotations) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode info = root.putObject("info");
        info.put("description", "roadneg sample data in the COCO 2017 layout (procedurally drawn)");
        info.put("version", "1.0");
        info.put("year", 2017);
        ArrayNode licenses = root.putArray("licenses");
        ObjectNode lic = licenses.addObject();
        lic.put("url", "https://creativecommons.org/publicdomain/zero/1.0/");
        lic.put("id", 1);
        lic.put("name", "CC0 1.0");
        root.set("images", images);
        root.set("annotations", annotations);
        ArrayNode cats = root.putArray("categories");
        for (CocoCategory c : CocoCategories.THINGS) {
            cats.addObject().put("supercategory", c.supercategory()).put("id", c.id()).put("name", c.name());
        }
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + file, e);
        }
    }
}
