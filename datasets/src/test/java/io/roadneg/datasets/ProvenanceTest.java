package io.roadneg.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void runRecordsCarryTheEnvironmentAndReproducibleOnesDoNot() throws Exception {
        Provenance run = Provenance.run("gen paste", "pebal", "ab12", 3L);
        Provenance item = run.forItem("7", "aachen_000001_000019", List.of("coco:train2017:000000000139"));
        JsonNode full = new ObjectMapper().readTree(item.toJson());
        assertEquals("gen paste", full.get("command").asText());
        assertEquals(3, full.get("seed").asLong());
        assertEquals("coco:train2017:000000000139", full.get("sources").get(0).asText());
        JsonNode env = full.get("environment");
        assertEquals(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                env.get("java").asText());
        assertTrue(env.get("os").asText().endsWith(System.getProperty("os.arch")), env.toString());
        assertTrue(env.get("opencv").asText().startsWith("4."), env.toString());
        assertFalse(env.get("version").asText().isBlank());
        assertEquals("2.7.1", run.withLibtorch("2.7.1").environment().libtorch());

        String reproducible = item.reproducible().toJson();
        assertEquals("{\"command\":\"gen paste\",\"recipe\":\"pebal\",\"recipeSha256\":\"ab12\",\"seed\":3,\"item\":\"7\","
                + "\"destination\":\"aachen_000001_000019\",\"sources\":[\"coco:train2017:000000000139\"]}",
                reproducible, "fixed field order, no environment");
        assertNull(item.reproducible().environment());
        assertFalse(Provenance.run("gen eval", null, null, null).reproducible().toJson().contains("sources"),
                "empty fields are left out");
    }
}
