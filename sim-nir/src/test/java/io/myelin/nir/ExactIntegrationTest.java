package io.myelin.nir;

import io.myelin.nir.graph.CubaLi;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.NirEdge;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.run.Integration;
import io.myelin.nir.run.NirRunner;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact integration against the ODE itself: one exact step of dt equals forward Euler with the same (held) input
 * refined to dt / 4000 substeps, to the refinement's own error; for CubaLI with distinct and with equal time
 * constants (the degenerate two-exponential case).
 */
class ExactIntegrationTest {
    private static NirGraph chain(NirNode neuron, int n) {
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        nodes.put("in", new Input(new int[] {n}));
        nodes.put("cell", neuron);
        nodes.put("out", new Output(new int[] {n}));
        return new NirGraph(nodes, List.of(new NirEdge("in", "cell"), new NirEdge("cell", "out")));
    }

    private static double[] simulate(NirGraph g, double dt, Integration mode, double[][] inputs, int substeps) {
        try (NirRunner r = NirRunner.compile(g, dt / substeps, mode, 1)) {
            for (double[] x : inputs) {
                for (int s = 0; s < substeps; s++) {
                    r.step(x);
                }
            }
            return r.membrane("cell");
        }
    }

    @Test
    void cubaLiExactStepsFollowTheOde() {
        double dt = 1e-3;
        Tensor tauSyn = Tensor.vector(2e-3, 5e-3, 4e-3), tauMem = Tensor.vector(6e-3, 5e-3, 1e-3);
        CubaLi cell = new CubaLi(tauSyn, tauMem, Tensor.vector(2, 1.5, 0.7), Tensor.vector(0.1, -0.2, 0),
                Tensor.vector(1.3, 0.8, 2));
        NirGraph g = chain(cell, 3);
        double[][] in = {{1, 0.5, -1}, {0, 2, 0.3}, {-0.5, 0, 1}, {0.2, 0.2, 0.2}, {0, 0, 0}};
        double[] exact = simulate(g, dt, Integration.EXACT, in, 1);
        double[] fine = simulate(g, dt, Integration.EULER, in, 4000);
        double[] coarse = simulate(g, dt, Integration.EULER, in, 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(fine[i], exact[i], 2e-4 * Math.max(1e-3, Math.abs(fine[i])), "neuron " + i);
            assertTrue(Math.abs(coarse[i] - fine[i]) > 20 * Math.abs(exact[i] - fine[i]),
                    "one Euler step of dt is far coarser than the exact step (neuron " + i + ")");
        }
    }

    @Test
    void liExactStepIsTheExponentialSolution() {
        double dt = 2e-3, tau = 5e-3, r = 3, vl = 0.25, x = 0.4;
        NirGraph g = chain(new LeakyIntegrator(Tensor.vector(tau), Tensor.vector(r), Tensor.vector(vl)), 1);
        double[] v = simulate(g, dt, Integration.EXACT, new double[][] {{x}, {x}}, 1);
        double inf = vl + r * x;
        double closed = inf + (0 - inf) * Math.exp(-2 * dt / tau);
        assertEquals(closed, v[0], 1e-14);
    }
}
