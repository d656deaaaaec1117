package io.myelin.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shared mapper's two output styles, byte for byte, and a getter-built type written in its documented order. */
class JsonTest {
    @Test
    void compactIsOneLineAndIndentedIsJacksonsDefaultPrinter() throws Exception {
        ObjectNode n = Json.object();
        n.put("epoch", 0).put("test_acc", 0.5).putArray("firing_rate").add(0.25);
        assertEquals("{\"epoch\":0,\"test_acc\":0.5,\"firing_rate\":[0.25]}", Json.compact().writeValueAsString(n));
        assertEquals("{\n  \"epoch\" : 0,\n  \"test_acc\" : 0.5,\n  \"firing_rate\" : [ 0.25 ]\n}",
                Json.indented().writeValueAsString(n));
        assertEquals(n, Json.reader().readTree(Json.indented().writeValueAsString(n)));
    }

    /**
     * docs/energy-report.md lists {@code model_size}'s keys in this order; most come from getters, whose order
     * reflection does not fix, so the type declares it.
     */
    @Test
    void modelSizeKeysComeInTheDocumentedOrder() throws Exception {
        ModelSize s = ModelSize.builder().add("hidden1", ParameterKind.WEIGHT, 10, 4).delays("hidden1", 10, 25).build();
        JsonNode j = Json.reader().readTree(Json.indented().writeValueAsString(s));
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("parameters", "total_bits", "float32_bits", "compression", "bits_by_kind"), keys);
        assertEquals(10 * 4 + 10 * 5, j.get("total_bits").asLong());
    }
}
