package io.myelin.cluster.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.cluster.SharedPaths;
import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grid of --vary settings: keys, values as the config's types, products, names. */
class SweepGridTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void valuesTakeTheFieldsTypesAndTheGridIsTheProduct() throws Exception {
        JsonNode cfg = JSON.readTree("{\"name\":\"x\",\"model\":{\"hidden\":[8,8],\"delays\":\"learned\",\"taps\":7},"
                + "\"training\":{\"maxLr\":0.005,\"seed\":0}}");
        SweepGrid g = SweepGrid.of(List.of("model.hidden=[16],[16,16]", "model.delays=none,learned",
                "training.maxLr=1e-3"), cfg);
        List<java.util.LinkedHashMap<String, String>> points = g.points();
        assertEquals(4, points.size());
        assertEquals(Map.of("model.hidden", "[16]", "model.delays", "none", "training.maxLr", "1e-3"), points.get(0));
        assertEquals(Map.of("model.hidden", "[16,16]", "model.delays", "learned", "training.maxLr", "1e-3"),
                points.get(3));
        JsonNode applied = SweepGrid.apply(cfg, points.get(3));
        assertEquals(JSON.readTree("[16,16]"), applied.path("model").path("hidden"));
        assertTrue(applied.path("model").path("delays").isTextual());
        assertEquals(1e-3, applied.path("training").path("maxLr").asDouble());
        assertEquals(7, applied.path("model").path("taps").asInt(), "other fields untouched");
        assertEquals("[8,8]", cfg.path("model").path("hidden").toString(), "the base config is not changed");
        assertEquals("003_model.hidden=_16,16_,model.delays=learned,seed=2", Sweep.name(3, points.get(3), 2)
                .replace("training.maxLr=1e-3,", ""));
        assertEquals(List.of("a", "[1,2]", "{\"k\":[3,4]}"), SweepGrid.split("a, [1,2] ,{\"k\":[3,4]},"));
    }

    @Test
    void badKeysAndValuesAreRefusedInOneLine() throws Exception {
        JsonNode cfg = JSON.readTree("{\"model\":{\"taps\":7},\"training\":{\"seed\":0}}");
        assertTrue(assertThrows(InvalidInputException.class, () -> SweepGrid.of(List.of("model.tap=3"), cfg))
                .getMessage().endsWith("no such config key; valid keys: model.taps"));
        assertTrue(assertThrows(InvalidInputException.class, () -> SweepGrid.of(List.of("training.seed=3"), cfg))
                .getMessage().contains("set it with --seeds"));
        assertTrue(assertThrows(InvalidInputException.class, () -> SweepGrid.of(List.of("model.taps=3",
                "model.taps=5"), cfg)).getMessage().contains("given twice"));
        assertTrue(assertThrows(InvalidInputException.class, () -> SweepGrid.of(List.of("model.taps=3,3"), cfg))
                .getMessage().contains("lists a value twice"));
        assertTrue(assertThrows(InvalidInputException.class, () -> SweepGrid.apply(cfg, Map.of("model.taps", "x")))
                .getMessage().contains("not a number"));
        assertTrue(assertThrows(InvalidInputException.class, () -> SharedPaths.of("--out", Path.of("hdfs://nn/x")))
                .getMessage().startsWith("--out hdfs://nn/x: Hadoop file system URIs are not read directly"));
        assertEquals(Path.of("/tmp/x"), SharedPaths.of("--out", Path.of("file:///tmp/x")));
    }
}
