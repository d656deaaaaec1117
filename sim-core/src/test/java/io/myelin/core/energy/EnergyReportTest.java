package io.myelin.core.energy;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Energy = sum of count x constant on a hand-worked 3-layer network, and the JSON schema round trip. */
class EnergyReportTest {
    /**
     * 2 samples x 10 steps. in (5 inputs, spike counts) -> h1 (4) -> h2 (3) -> out (2), dense.
     * h1 is fed with counts: 20 synapses x 10 steps x 2 samples = 400 MACs. h1 emits 12 spikes x fan-out 3 = 36 ACs
     * into h2; h2 emits 6 spikes x fan-out 2 = 12 ACs into out.
     */
    static List<LayerActivity> threeLayers(int weightBits) {
        return List.of(
                new LayerActivity("in", "source", 5, 10, 2, 30, 0, 0, 0, 0, 0, 0, 3),
                new LayerActivity("h1", "dense", 4, 10, 2, 12, 0, 400, 80, 20, 400, weightBits, 3),
                new LayerActivity("h2", "dense", 3, 10, 2, 6, 36, 0, 60, 12, 240, weightBits, 1),
                new LayerActivity("out", "readout", 2, 10, 2, 0, 12, 0, 40, 6, 120, weightBits, 1));
    }

    static ModelSize threeLayerSize(int weightBits) {
        return ModelSize.builder().add("h1", ParameterKind.WEIGHT, 20, weightBits)
                .add("h2", ParameterKind.WEIGHT, 12, weightBits).add("out", ParameterKind.WEIGHT, 6, weightBits)
                .add("h1", ParameterKind.THRESHOLD, 1, 32).add("h2", ParameterKind.THRESHOLD, 1, 32).build();
    }

    static EnergyReport handReport(EnergyModel m, int weightBits) {
        return EnergyReport.build(new EnergyReport.Source("model", "hand", "3 layers", "2026-01-01T00:00:00Z"), m, 10.0,
                threeLayers(weightBits), threeLayerSize(weightBits), new Accuracy(1, 2),
                List.of(new EpochMetrics(1, 0.5, null, 0.4), new EpochMetrics(2, 0.75, 0.6, 0.5)),
                List.of(new SpikeRaster("h1", 4, 10, 10.0, new int[]{0, 3, 9}, new int[]{1, 0, 3}, false)));
    }

    @Test
    void energyIsCountTimesConstantAt45nm() {
        EnergyReport r = handReport(EnergyModel.default45nm(), 32);
        assertEquals(0, r.layers().get(0).energyPj());
        assertEquals(400 * 4.6, r.layers().get(1).energyPj(), 1e-9);
        assertEquals(36 * 0.9, r.layers().get(2).energyPj(), 1e-9);
        assertEquals(12 * 0.9, r.layers().get(3).energyPj(), 1e-9);
        assertEquals(1883.2, r.total().energyPj(), 1e-9);
        assertEquals(941.6, r.total().energyPerSamplePj(), 1e-9);
        assertEquals(760 * 4.6, r.total().annEnergyPj(), 1e-9);
        assertEquals(1883.2 / 3496.0, r.total().snnAnnRatio(), 1e-12);
        assertEquals(36 * 0.9 / (240 * 4.6), r.layers().get(2).snnAnnRatio(), 1e-12);
        assertNull(r.layers().get(0).snnAnnRatio(), "an input layer has no ANN counterpart");
        assertEquals(48, r.total().acs());
        assertEquals(400, r.total().macs());
        assertEquals(48, r.total().spikes());
        // firing rate: spikes / (neurons x steps x samples)
        assertEquals(12 / 80.0, r.layers().get(1).firingRate(), 1e-12);
        // bit budget b_w x b_a x T: h1 32 x 3 x 10, h2 and out 32 x 1 x 10; network mean weighted by synapses
        assertEquals(960, r.layers().get(1).bitBudget());
        assertEquals(320, r.layers().get(2).bitBudget());
        assertEquals((20 * 960 + 12 * 320 + 6 * 320) / 38.0, r.total().bitBudget(), 1e-9);
        assertEquals(38 * 32 + 64, r.total().modelBits());
        assertEquals(40 * 32, r.total().float32ModelBits());
    }

    @Test
    void bitScaledModelChargesQuantizedOperandsLessAndTheAnnAtFloat() {
        EnergyReport r = handReport(EnergyModel.named("45nm-bitscaled"), 8);
        // AC at 8 bit: 0.9 x 8/32; MAC at max(8, 3) = 8 bit: 4.6 x (8/32)^2
        assertEquals(400 * 4.6 / 16, r.layers().get(1).energyPj(), 1e-9);
        assertEquals(36 * 0.9 / 4, r.layers().get(2).energyPj(), 1e-9);
        assertEquals(400 * 4.6 / 16 + 48 * 0.9 / 4, r.total().energyPj(), 1e-9);
        assertEquals(760 * 4.6, r.total().annEnergyPj(), 1e-9);
        assertEquals(38 * 8 + 64, r.total().modelBits());
    }

    @Test
    void memoryTermChargesEachOperationItsWeightBits() {
        EnergyReport r = handReport(EnergyModel.named("45nm-sram"), 32);
        assertEquals(36 * 32 * 0.078, r.layers().get(2).otherEnergyPj(), 1e-9);
        assertEquals(36 * 0.9 + 36 * 32 * 0.078, r.layers().get(2).energyPj(), 1e-9);
        assertEquals(240 * (4.6 + 32 * 0.078), r.layers().get(2).annEnergyPj(), 1e-9);
    }

    @Test
    void jsonRoundTripAndTheIssueSchemaKeys() throws Exception {
        EnergyReport r = handReport(EnergyModel.default45nm(), 32);
        String json = r.toJson();
        assertEquals(r, EnergyReport.fromJson(json));
        JsonNode j = Json.reader().readTree(json);
        assertEquals(EnergyReport.SCHEMA, j.get("schema").asText());
        for (String k : new String[]{"name", "e_ac_pj", "e_mac_pj"}) {
            assertTrue(j.get("energy_model").has(k), "energy_model." + k);
        }
        assertEquals(2, j.get("samples").asLong());
        for (String k : new String[]{"name", "neurons", "spikes", "firing_rate", "acs", "macs", "energy_pj"}) {
            assertTrue(j.get("layers").get(1).has(k), "layers[]." + k);
        }
        for (String k : new String[]{"acs", "macs", "energy_pj", "energy_per_sample_pj", "ann_energy_pj", "model_bits",
                "float32_model_bits", "bit_budget"}) {
            assertTrue(j.get("total").has(k), "total." + k);
        }
        assertEquals(0.5, j.get("accuracy").get("accuracy").asDouble());
        assertEquals(1883.2, j.get("total").get("energy_pj").asDouble(), 1e-9);
        // without labels there is no accuracy key at all
        EnergyReport unlabeled = EnergyReport.build(r.source(), r.energyModel(), 10, threeLayers(32), threeLayerSize(32),
                null, null, null);
        JsonNode u = Json.reader().readTree(unlabeled.toJson());
        assertTrue(!u.has("accuracy") && !u.has("epochs") && !u.has("rasters"));
        assertEquals(unlabeled, EnergyReport.fromJson(unlabeled.toJson()));
    }

    @Test
    void badReportsAreClearErrors() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> EnergyReport.fromJson("{\"schema\": \"something-else\", \"layers\": []}"));
        assertTrue(e.getMessage().contains("not a Myelin energy report"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> EnergyReport.fromJson("{not json"));
        InvalidInputException mixed = assertThrows(InvalidInputException.class, () -> EnergyReport.build(null,
                EnergyModel.default45nm(), 1, List.of(new LayerActivity("a", "x", 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1),
                        new LayerActivity("b", "x", 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1)), ModelSize.builder().build(),
                null, null, null));
        assertTrue(mixed.getMessage().contains("'b' counts 2 samples"), mixed.getMessage());
        assertThrows(InvalidInputException.class, () -> new LayerActivity("a", "x", 1, 1, 1, -1, 0, 0, 0, 0, 0, 0, 1));
    }
}
