package io.myelin.nir;

import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.engine.Simulator;
import io.myelin.nir.energy.NirEnergy;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.run.Integration;
import io.myelin.nir.run.NirRunner;
import io.myelin.nir.run.NirTrace;
import io.myelin.nir.spec.EngineNetwork;
import io.myelin.nir.spec.NirToNetworkSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the Java example of docs/nir.md compiling and running (on the delays_small case). */
class DocsExampleTest {
    @Test
    void theDocsExampleRuns() {
        Path dir = TestData.nirCase("delays_small");
        NirGraph g = NirGraph.read(dir.resolve("graph.nir"));
        NpyArray counts = Npy.read(dir.resolve("input.npy"));
        try (NirRunner r = NirRunner.compile(g, 1e-3, Integration.EULER, 1)) {
            NirTrace t = r.run(counts, null);
            double[] v = t.states().get("lif");
            assertEquals(120 * 10, v.length);
            ModelActivity a = NirEnergy.of("graph.nir", "input.npy", r.graph(), r.activity(), 1, null);
            EnergyReport rep = EnergyReport.build(EnergyReport.Source.now("nir", a.name(), a.detail()),
                    EnergyModel.default45nm(), a.dtMs(), a.layers(), a.size(), null, null, null);
            assertTrue(rep.total().acs() > 0, "spike-driven synaptic operations are counted");
            assertEquals(1.0, rep.layers().get(0).timeSteps() / 120.0);
        }
        EngineNetwork en = NirToNetworkSpec.map(g, 1e-3);
        try (Simulator sim = Simulator.create(en.specFor(counts))) {
            sim.runSteps(en.engineSteps(counts.rows()));
        }
    }
}
