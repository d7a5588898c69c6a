package io.roadneg.datasets.coco;

import com.fasterxml.jackson.core.JsonGenerator;
import io.roadneg.datasets.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a COCO instances JSON that pycocotools and {@link CocoInstancesReader} read: {@code info} (with the
 * caller's provenance), {@code images}, {@code annotations}, {@code categories}. Annotations are streamed from an
 * {@link Iterable}, so a caller can produce them lazily; the file appears atomically when complete.
 *
 * <p>Each segmentation keeps its form: polygons as coordinate lists, uncompressed RLE as an integer list, compressed
 * RLE as the pycocotools string. Optional fields are left out when absent (NaN area or score, null bbox).
 */
public final class CocoInstancesWriter {
    private CocoInstancesWriter() {
    }

    /** Writes the file atomically. */
    public static void write(Path target, Map<String, String> info, Iterable<CocoImage> images,
            Iterable<CocoAnnotation> annotations, Iterable<CocoCategory> categories) {
        AtomicFiles.write(target, out -> {
            try (JsonGenerator g = JsonStreams.MAPPER.getFactory().createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeObjectFieldStart("info");
                for (Map.Entry<String, String> e : info.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeArrayFieldStart("images");
                for (CocoImage im : images) {
                    g.writeStartObject();
                    g.writeNumberField("id", im.id());
                    g.writeNumberField("width", im.width());
                    g.writeNumberField("height", im.height());
                    g.writeStringField("file_name", im.fileName());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("annotations");
                for (CocoAnnotation a : annotations) {
                    writeAnnotation(g, a);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("categories");
                for (CocoCategory c : categories) {
                    g.writeStartObject();
                    g.writeNumberField("id", c.id());
                    g.writeStringField("name", c.name());
                    g.writeStringField("supercategory", c.supercategory());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        });
    }

    private static void writeAnnotation(JsonGenerator g, CocoAnnotation a) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", a.id());
        g.writeNumberField("image_id", a.imageId());
        g.writeNumberField("category_id", a.categoryId());
        g.writeFieldName("segmentation");
        writeSegmentation(g, a.segmentation());
        if (!Double.isNaN(a.area())) {
            g.writeNumberField("area", a.area());
        }
        if (a.bbox() != null) {
            g.writeFieldName("bbox");
            g.writeArray(a.bbox(), 0, a.bbox().length);
        }
        g.writeNumberField("iscrowd", a.iscrowd() ? 1 : 0);
        if (!Double.isNaN(a.score())) {
            g.writeNumberField("score", a.score());
        }
        g.writeEndObject();
    }

    private static void writeSegmentation(JsonGenerator g, Segmentation s) throws IOException {
        if (s instanceof Segmentation.Polygons p) {
            g.writeStartArray();
            for (double[] xy : p.polygons()) {
                g.writeArray(xy, 0, xy.length);
            }
            g.writeEndArray();
        } else if (s instanceof Segmentation.UncompressedRle u) {
            writeRleHead(g, u.rle());
            g.writeArray(u.rle().counts(), 0, u.rle().counts().length);
            g.writeEndObject();
        } else if (s instanceof Segmentation.CompressedRle c) {
            writeRleHead(g, c.rle());
            g.writeString(c.rle().toCompressedString());
            g.writeEndObject();
        }
    }

    private static void writeRleHead(JsonGenerator g, Rle r) throws IOException {
        g.writeStartObject();
        g.writeFieldName("size");
        g.writeArray(new int[] {r.height(), r.width()}, 0, 2);
        g.writeFieldName("counts");
    }
}
