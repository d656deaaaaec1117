package io.myelin.core.model;

import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkSpecJsonTest {
    static NetworkSpec everyFeature() {
        return NetworkSpec.builder().dtMs(0.5).seed(1234)
                .population("exc", 40, LifParameters.builder().tauMs(20).vRestMv(-49).vResetMv(-60).vThresholdMv(-50)
                        .refractoryMs(5).tauExcMs(5).tauInhMs(10).build(), Distribution.uniform(-60, -50))
                .population(new PopulationSpec("hid", 3, DiscreteLifParameters.spiking(1.005), Distribution.constant(0),
                        new float[]{0.1f, -0.2f, 0.3f}))
                .population("out", 2, DiscreteLifParameters.readout(1.005), Distribution.normal(0, 0))
                .poissonSource("noise", 10, 5.0)
                .spikeTimesSource("sample", 4, new int[]{0, 3, 3}, new double[]{1.0, 2.5, 7.25})
                .projection(ProjectionSpec.from("noise").to("exc").fixedProbability(0.3).weight(Distribution.normal(1, 0.2))
                        .delayMs(Distribution.uniform(0.5, 3)))
                .projection(ProjectionSpec.from("exc").to("exc").fixedInDegree(5, false).weight(2).delayMs(1))
                .projection(ProjectionSpec.from("exc").to("exc").named("inh-loop").allToAllNoSelf().weight(-1).inhibitory())
                .projection(ProjectionSpec.from("sample").to("hid").explicit(new int[]{0, 3}, new int[]{2, 1},
                        new float[]{0.5f, -0.25f}, new float[]{1.0f, 3.5f}))
                .projection(ProjectionSpec.from("hid").to("out").allToAll().weight(0.7).delayMs(0.5))
                .projection(ProjectionSpec.from("out").to("out").oneToOne().weight(0.1).delayMs(1))
                .build();
    }

    @Test
    void roundTripGivesAnEqualSpec() {
        NetworkSpec spec = everyFeature();
        String json = spec.toJson();
        NetworkSpec back = NetworkSpec.fromJson(json);
        assertEquals(spec, back);
        assertEquals(json, back.toJson());
        assertTrue(json.contains("\"type\" : \"fixed-in-degree\""), json);
    }

    @Test
    void malformedJsonNamesTheField() {
        String json = everyFeature().toJson().replaceFirst("\"tauMs\" : 20.0", "\"tauMs\" : \"twenty\"");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.fromJson(json));
        assertTrue(e.getMessage().contains("populations[0].model.tauMs"), e.getMessage());
    }

    @Test
    void syntaxErrorGivesLineAndColumn() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.fromJson("{ \"dtMs\": 0.1, "));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void unknownFieldIsNamed() {
        String json = everyFeature().toJson().replaceFirst("\"seed\" : 1234", "\"seed\" : 1234, \"sede\" : 1");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.fromJson(json));
        assertTrue(e.getMessage().contains("unknown key sede; did you mean seed?"), e.getMessage());
    }

    @Test
    void missingNumberIsNamed() {
        String json = everyFeature().toJson().replaceFirst("\"seed\" : 1234,", "");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.fromJson(json));
        assertTrue(e.getMessage().contains("seed is missing (expected an integer)"), e.getMessage());
    }

    @Test
    void unknownPopulationIsNamed() {
        String json = everyFeature().toJson().replaceFirst("\"post\" : \"exc\"", "\"post\" : \"exc2\"");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.fromJson(json));
        assertTrue(e.getMessage().contains("unknown population 'exc2'"), e.getMessage());
    }

    @Test
    void negativeTauIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.builder()
                .population("a", 1, LifParameters.builder().tauMs(-3).build()).build());
        assertTrue(e.getMessage().contains("tauMs must be > 0"), e.getMessage());
    }

    @Test
    void nanWeightIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.builder()
                .population("a", 2, LifParameters.builder().build())
                .projection(ProjectionSpec.from("a").to("a").weight(Double.NaN)).build());
        assertTrue(e.getMessage().contains("weight.value must be a finite number"), e.getMessage());
    }

    @Test
    void explicitIndexOutOfRangeIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.builder()
                .population("a", 2, LifParameters.builder().build())
                .projection(ProjectionSpec.from("a").to("a").explicit(new int[]{0, 2}, new int[]{1, 1}, null, null).weight(1))
                .build());
        assertTrue(e.getMessage().contains("pre[1] = 2 is outside"), e.getMessage());
    }

    @Test
    void projectionIntoSourceIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.builder()
                .population("a", 2, LifParameters.builder().build())
                .poissonSource("p", 3, 1)
                .projection(ProjectionSpec.from("a").to("p").weight(1)).build());
        assertTrue(e.getMessage().contains("sources cannot receive synapses"), e.getMessage());
    }

    @Test
    void fixedInDegreeLargerThanPopulationIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.builder()
                .population("a", 5, LifParameters.builder().build())
                .projection(ProjectionSpec.from("a").to("a").fixedInDegree(5, false).weight(1)).build());
        assertTrue(e.getMessage().contains("only 4 distinct"), e.getMessage());
    }
}
