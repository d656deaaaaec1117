package io.myelin.kernels;

import io.myelin.core.backend.Backend;
import io.myelin.core.backend.JavaBackend;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Simulator;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.monitor.StateMonitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs one network on the Java reference and on an OpenCL backend and compares everything bit for bit. */
final class Agreement {
    /** Every spike of a run as (step, global index) pairs, plus per-index counts and sampled state bits. */
    record Run(long[] spikeSteps, int[] spikeIndices, long[] countsPerIndex, int[][] stateBits, int maxSpikesInStep) {
    }

    private Agreement() {
    }

    /**
     * @param statePopulation population whose neurons (local indices {@code stateNeurons}) are sampled every step,
     *                        or null for none
     */
    static Run run(CompiledNetwork net, Backend backend, long steps, String statePopulation, int[] stateNeurons) {
        Simulator sim = new Simulator(net, backend);
        List<long[]> spikes = new ArrayList<>();
        int[] maxInStep = new int[1];
        sim.addSpikeListener((step, list, n) -> {
            maxInStep[0] = Math.max(maxInStep[0], n);
            for (int k = 0; k < n; k++) {
                spikes.add(new long[]{step, list[k]});
            }
        });
        StateMonitor state = statePopulation == null ? null : sim.recordState(statePopulation, stateNeurons, 1);
        sim.runSteps(steps);
        long[] counts = backend.spikeCountsPerIndex();
        int[][] bits = new int[0][];
        if (state != null) {
            bits = new int[3 * stateNeurons.length][];
            for (int k = 0; k < stateNeurons.length; k++) {
                bits[3 * k] = bits(state.v(k));
                bits[3 * k + 1] = bits(state.iExc(k));
                bits[3 * k + 2] = bits(state.iInh(k));
            }
        }
        sim.close();
        long[] st = new long[spikes.size()];
        int[] idx = new int[spikes.size()];
        for (int k = 0; k < st.length; k++) {
            st[k] = spikes.get(k)[0];
            idx[k] = (int) spikes.get(k)[1];
        }
        return new Run(st, idx, counts, bits, maxInStep[0]);
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }

    /** Runs {@code spec} on both backends and asserts identical spikes, counts and state; returns the Java run. */
    static Run assertIdentical(NetworkSpec spec, long steps, String statePopulation, int[] stateNeurons) {
        CompiledNetwork net = CompiledNetwork.compile(spec);
        Run java = run(net, new JavaBackend(1), steps, statePopulation, stateNeurons);
        Run ocl = run(net, OpenClTestDevice.backend(), steps, statePopulation, stateNeurons);
        assertSame(java, ocl);
        return java;
    }

    static void assertSame(Run java, Run ocl) {
        assertEquals(java.spikeSteps().length, ocl.spikeSteps().length, "number of spikes");
        for (int k = 0; k < java.spikeSteps().length; k++) {
            if (java.spikeSteps()[k] != ocl.spikeSteps()[k] || java.spikeIndices()[k] != ocl.spikeIndices()[k]) {
                fail("spike " + k + " differs: Java (step " + java.spikeSteps()[k] + ", index " + java.spikeIndices()[k]
                        + "), OpenCL (step " + ocl.spikeSteps()[k] + ", index " + ocl.spikeIndices()[k] + ")");
            }
        }
        assertArrayEquals(java.countsPerIndex(), ocl.countsPerIndex(), "spike counts per index");
        assertEquals(java.stateBits().length, ocl.stateBits().length);
        for (int r = 0; r < java.stateBits().length; r++) {
            int[] a = java.stateBits()[r], b = ocl.stateBits()[r];
            if (!Arrays.equals(a, b)) {
                int step = Arrays.mismatch(a, b);
                String what = new String[]{"V", "I_exc", "I_inh"}[r % 3];
                fail(what + " of sampled neuron " + r / 3 + " differs first after step " + step + ": Java "
                        + Float.intBitsToFloat(a[step]) + ", OpenCL " + Float.intBitsToFloat(b[step]));
            }
        }
    }
}
