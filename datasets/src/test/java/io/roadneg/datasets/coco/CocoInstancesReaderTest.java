package io.roadneg.datasets.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoInstancesReaderTest {
    @TempDir
    Path dir;

    // categories after annotations, as in the real files; all three segmentation forms plus four bad annotations
    private static final String JSON = """
            {"info": {"description": "fixture"},
             "images": [{"id": 7, "width": 4, "height": 3, "file_name": "a.jpg"},
                        {"id": 9, "width": 20, "height": 20, "file_name": "b.jpg"}],
             "annotations": [
              {"id": 1, "image_id": 9, "category_id": 18, "segmentation": [[2, 3, 12, 3, 12, 13, 2, 13]],
               "area": 100.0, "bbox": [2, 3, 10, 10], "iscrowd": 0},
              {"id": 2, "image_id": 7, "category_id": 1, "segmentation": {"size": [3, 4], "counts": [3, 2, 1, 3, 2, 1]},
               "area": 6, "bbox": [1, 0, 3, 3], "iscrowd": 1},
              {"id": 3, "image_id": 7, "category_id": 18, "segmentation": {"size": [3, 4], "counts": "32111N"},
               "area": 6, "bbox": [1, 0, 3, 3], "iscrowd": 1, "score": 0.5},
              {"id": 4, "image_id": 8, "category_id": 18, "segmentation": [[0, 0, 1, 0, 1, 1]], "area": 1,
               "bbox": [0, 0, 1, 1], "iscrowd": 0},
              {"id": 5, "image_id": 9, "category_id": 99, "segmentation": [[0, 0, 1, 0, 1, 1]], "area": 1,
               "bbox": [0, 0, 1, 1], "iscrowd": 0},
              {"id": 6, "image_id": 9, "category_id": 18, "segmentation": [[0, 0, 1, 0, 1]], "area": 1,
               "bbox": [0, 0, 1, 1], "iscrowd": 0},
              {"id": 7, "image_id": 7, "category_id": 18, "segmentation": {"size": [3, 4], "counts": [3, 2, 1]},
               "area": 2, "bbox": [0, 0, 1, 1], "iscrowd": 1}
             ],
             "categories": [{"id": 1, "name": "person", "supercategory": "person"},
                            {"id": 18, "name": "dog", "supercategory": "animal"}]}
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsAllThreeSegmentationFormsAndReportsEachBadAnnotation() throws IOException {
        Path f = write("instances.json", JSON);
        CocoInstancesReader r = CocoInstancesReader.open(f);
        assertEquals(2, r.images().size());
        assertEquals("dog", r.category(18).name());
        List<CocoAnnotation> ok = new ArrayList<>();
        List<AnnotationSpan> spans = new ArrayList<>();
        List<AnnotationProblem> problems = new ArrayList<>();
        r.forEachAnnotation(new CocoInstancesReader.AnnotationHandler() {
            @Override
            public void annotation(CocoAnnotation a, AnnotationSpan span) {
                ok.add(a);
                spans.add(span);
            }

            @Override
            public void problem(AnnotationProblem p) {
                problems.add(p);
            }
        });
        assertEquals(List.of(1L, 2L, 3L), ok.stream().map(CocoAnnotation::id).toList());
        assertEquals(100, ok.get(0).segmentation().toRle(20, 20).area());
        assertInstanceOf(Segmentation.UncompressedRle.class, ok.get(1).segmentation());
        assertInstanceOf(Segmentation.CompressedRle.class, ok.get(2).segmentation());
        assertEquals(ok.get(1).segmentation().toRle(3, 4), ok.get(2).segmentation().toRle(3, 4));
        assertTrue(ok.get(1).iscrowd());
        assertEquals(0.5, ok.get(2).score());
        assertTrue(Double.isNaN(ok.get(0).score()));

        assertEquals(List.of("annotations[3].image_id", "annotations[4].category_id",
                "annotations[5].segmentation[0]", "annotations[6].segmentation.counts"),
                problems.stream().map(AnnotationProblem::field).toList());
        assertEquals(-1, problems.get(0).imageId());
        assertEquals(9, problems.get(1).imageId());
        assertTrue(problems.get(2).problem().contains("odd number"), problems.get(2).describe());
        assertTrue(problems.get(3).problem().contains("sum to 6"), problems.get(3).describe());

        // spans re-read the same annotations without a full pass
        try (CocoInstancesReader.Spans s = r.openSpans()) {
            for (int i = 0; i < spans.size(); i++) {
                assertEquals(ok.get(i).id(), s.read(spans.get(i)).id());
            }
        }
    }

    @Test
    void theDefaultPolicyStopsAtTheFirstBadAnnotationWithAnInputException() throws IOException {
        Path f = write("instances.json", JSON);
        CocoInstancesReader r = CocoInstancesReader.open(f);
        InputException e = assertThrows(InputException.class, () -> r.forEachAnnotation((a, s) -> { }));
        assertEquals(f, e.file());
        assertEquals("annotations[3].image_id", e.field());
        assertEquals("8", e.value());
    }

    @Test
    void truncatedJsonNamesTheFileTheFieldAndTheLine() throws IOException {
        Path f = write("cut.json", JSON.substring(0, JSON.indexOf("\"counts\": \"32111N\"") + 12));
        InputException e = assertThrows(InputException.class, () -> CocoInstancesReader.open(f));
        assertEquals(f, e.file());
        assertTrue(e.field().startsWith("annotations[2].segmentation"), e.getMessage());
        assertTrue(e.getMessage().contains("line 9, column"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void malformedJsonIsAnInputException() throws IOException {
        Path f = write("bad.json", "{\"images\": [{\"id\": 1,, }]}");
        InputException e = assertThrows(InputException.class, () -> CocoInstancesReader.open(f));
        assertTrue(e.getMessage().contains("malformed JSON at line 1"), e.getMessage());
        assertTrue(e.field().startsWith("images[0]"), e.field());
    }

    @Test
    void writerRoundTripsThroughTheReader() {
        CocoImage im = new CocoImage(5, 4, 3, "x.jpg");
        Rle rle = Rle.fromCompressedString("32111N", 3, 4);
        List<CocoAnnotation> anns = List.of(
                new CocoAnnotation(1, 5, 18, new Segmentation.Polygons(List.of(new double[] {0.5, 0.5, 3, 0.5, 3,
                        2.5})), 2.5, new double[] {0.5, 0.5, 2.5, 2}, false, Double.NaN),
                new CocoAnnotation(2, 5, 18, new Segmentation.UncompressedRle(rle), 6, new double[] {1, 0, 3, 3},
                        true, Double.NaN),
                new CocoAnnotation(3, 5, 18, new Segmentation.CompressedRle(rle), 6, null, true, 0.25));
        Path f = dir.resolve("out.json");
        CocoInstancesWriter.write(f, Map.of("description", "round trip"), List.of(im), anns,
                List.of(new CocoCategory(18, "dog", "animal")));
        CocoInstancesReader r = CocoInstancesReader.open(f);
        assertEquals(List.of(im), r.images());
        List<CocoAnnotation> back = new ArrayList<>();
        r.forEachAnnotation((a, s) -> back.add(a));
        assertEquals(3, back.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(anns.get(i).segmentation().getClass(), back.get(i).segmentation().getClass());
            assertEquals(anns.get(i).segmentation().toRle(3, 4), back.get(i).segmentation().toRle(3, 4));
            assertEquals(anns.get(i).iscrowd(), back.get(i).iscrowd());
            assertEquals(anns.get(i).area(), back.get(i).area());
        }
        assertArrayEquals(new double[] {0.5, 0.5, 3, 0.5, 3, 2.5},
                ((Segmentation.Polygons) back.get(0).segmentation()).polygons().get(0));
        assertEquals(0.25, back.get(2).score());
        assertEquals(null, back.get(2).bbox());
    }
}
