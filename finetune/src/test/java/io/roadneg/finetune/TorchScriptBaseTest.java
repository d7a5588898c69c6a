package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roadneg.datasets.InputException;
import io.roadneg.finetune.model.TorchScriptBase;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The TorchScript segmenter contract, with fixtures from finetune/scripts/make_segmenter_fixtures.py. */
class TorchScriptBaseTest {
    static Path fixture(String name) throws URISyntaxException {
        return Path.of(TorchScriptBaseTest.class.getResource("/fixtures/" + name + "/model.json").toURI()).getParent();
    }

    @Test
    void runsTheExportLikePyTorch() throws Exception {
        Path dir = fixture("tiny-segmenter");
        JsonNode golden = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        TorchScriptBase base = TorchScriptBase.load(dir);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.linspace(-1f, 1f, 3 * 32 * 64).reshape(1, 3, 32, 64);
            NDList out = base.run(new ParameterStore(m, false), x, false);
            assertEquals(new Shape(1, 19, 8, 16), out.get(0).getShape());
            assertEquals(new Shape(1, 16, 8, 16), out.get(1).getShape());
            double ls = out.get(0).sum().getFloat();
            double fs = out.get(1).sum().getFloat();
            assertEquals(golden.get("logitsSum").asDouble(), ls, 1e-4 * Math.abs(ls));
            assertEquals(golden.get("featuresSum").asDouble(), fs, 1e-4 * Math.abs(fs));
            NDArray again = base.classify(new ParameterStore(m, false), out.get(1), false);
            assertTrue(again.sub(out.get(0)).abs().max().getFloat() < 1e-4);
            assertTrue(base.getParameters().size() >= 11, "the export's parameters are exposed for training");
        } finally {
            base.close();
        }
    }

    @Test
    void exportsThatBreakTheContractFailAtLoad() throws Exception {
        InputException single = assertThrows(InputException.class,
                () -> TorchScriptBase.load(fixture("bad-single-output")));
        assertTrue(single.getMessage().contains("(logits, features)"), single.getMessage());
        InputException classes = assertThrows(InputException.class,
                () -> TorchScriptBase.load(fixture("bad-class-count")));
        assertTrue(classes.getMessage().contains("numClasses") || classes.getMessage().contains("classifierWeight"),
                classes.getMessage());
    }
}
