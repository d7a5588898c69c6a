package io.roadneg.datasets.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFoldersTest {
    @TempDir
    Path dir;

    @Test
    void theFirstDifferingKeyIsNamedWithBothValues() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode old = m.createObjectNode().put("recipe", "pebal").put("seed", 0).put("root", "/a");
        ObjectNode now = m.createObjectNode().put("recipe", "pebal").put("seed", 9).put("root", "/b");
        Path record = dir.resolve("run.json");
        InputException e = assertThrows(InputException.class, () -> RunFolders.refuseAnother(record, old, now,
                List.of(), "use a new --out"));
        assertTrue(e.getMessage().contains("seed = 0: this output folder holds another run's files (now 9); use a "
                + "new --out"), e.getMessage());
        assertDoesNotThrow(() -> RunFolders.refuseAnother(record, old, now, List.of("recipe"), "x"),
                "only the keys asked for are compared");
        assertDoesNotThrow(() -> RunFolders.refuseAnother(record, null, now, List.of(), "x"), "nothing recorded yet");
        InputException r = assertThrows(InputException.class, () -> RunFolders.refuseAnother(record, old,
                now.put("seed", 0), List.of(), "x"));
        assertTrue(r.getMessage().contains("root = /a") && r.getMessage().contains("(now /b)"), r.getMessage());
    }

    @Test
    void aFolderWithFilesButNoRecordIsRefused() throws Exception {
        assertDoesNotThrow(() -> RunFolders.refuseUnknown(dir.resolve("new"), "run.json"));
        assertDoesNotThrow(() -> RunFolders.refuseUnknown(dir, "run.json"), "empty");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        InputException e = assertThrows(InputException.class, () -> RunFolders.refuseUnknown(dir, "run.json"));
        assertTrue(e.getMessage().contains("not empty and holds no run.json"), e.getMessage());
        Files.writeString(dir.resolve("run.json"), "{}");
        assertDoesNotThrow(() -> RunFolders.refuseUnknown(dir, "run.json"));
    }
}
