package io.roadneg.datasets.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CocoCategoriesTest {
    @Test
    void eightyThingsWithTheTenUnusedIdsMissing() {
        assertEquals(80, CocoCategories.THINGS.size());
        Set<Integer> unused = new TreeSet<>();
        for (int id = 1; id <= 90; id++) {
            if (CocoCategories.byId(id).isEmpty()) {
                unused.add(id);
            }
        }
        assertEquals(Set.of(12, 26, 29, 30, 45, 66, 68, 69, 71, 83), unused);
        for (String name : CocoCategories.META_OOD_EXCLUDED) {
            assertTrue(CocoCategories.byName(name).isPresent(), name);
        }
    }

    @Test
    void matchesTheThingCategoriesOfTheRealPanopticCategoryFile() throws Exception {
        Path f = Path.of(System.getProperty("roadneg.shared.data", "../shared/data"),
                "coco-val2017-panoptic/panoptic_coco_categories.json");
        Assumptions.assumeTrue(Files.exists(f), "real COCO sample files not present (../shared/data)");
        JsonNode cats = new ObjectMapper().readTree(f.toFile());
        int things = 0;
        for (JsonNode c : cats) {
            if (c.path("isthing").asInt() == 1) {
                things++;
                CocoCategory ours = CocoCategories.byId(c.get("id").asInt()).orElseThrow();
                assertEquals(c.get("name").asText(), ours.name());
                assertEquals(c.get("supercategory").asText(), ours.supercategory());
            }
        }
        assertEquals(80, things);
    }
}
