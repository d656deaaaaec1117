package io.myelin.core.engine;

import io.myelin.core.model.SourceSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spike times in steps: the emission order and the most spikes per step, against a count done by brute force. */
class SteppedSpikesTest {
    @Test
    void ordersByStepThenNeuronAndFindsTheMostSpikesPerStep() {
        Random r = new Random(9);
        for (boolean sortedInput : new boolean[]{true, false}) {
            int n = 400, size = 13, offset = 50;
            int[] neurons = new int[n];
            double[] times = new double[n];
            for (int k = 0; k < n; k++) {
                neurons[k] = r.nextInt(size);
                times[k] = r.nextInt(30) * 0.5 + (r.nextBoolean() ? 0.0 : 0.2);   // several spikes per step (dt 0.5)
            }
            if (sortedInput) {
                long[] key = new long[n];
                for (int k = 0; k < n; k++) {
                    key[k] = SpikeSchedule.stepOf(times[k], 0.5) * 1000 + neurons[k];
                }
                Integer[] order = new Integer[n];
                for (int k = 0; k < n; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (a, b) -> Long.compare(key[a], key[b]));
                int[] nn = new int[n];
                double[] tt = new double[n];
                for (int k = 0; k < n; k++) {
                    nn[k] = neurons[order[k]];
                    tt[k] = times[order[k]];
                }
                neurons = nn;
                times = tt;
            }
            SteppedSpikes s = SteppedSpikes.of(new SourceSpec.SpikeTimes("in", size, neurons, times), offset, 0.5);
            Map<Long, Integer> perStep = new HashMap<>();
            int[] expected = new int[offset + size];
            Arrays.fill(expected, 1);
            for (int k = 0; k < n; k++) {
                long key = SpikeSchedule.stepOf(times[k], 0.5) * 1000 + neurons[k];
                int c = perStep.merge(key, 1, Integer::sum);
                expected[offset + neurons[k]] = Math.max(expected[offset + neurons[k]], c);
            }
            int[] most = new int[offset + size];
            Arrays.fill(most, 1);
            s.maxPerStep(most);
            assertArrayEquals(expected, most, "most spikes per step, sorted input " + sortedInput);
            assertTrue(Arrays.stream(expected).max().getAsInt() > 2, "the input must repeat spikes in a step");
            for (int k = 1; k < n; k++) {
                assertTrue(s.step[k] > s.step[k - 1] || s.step[k] == s.step[k - 1] && s.local[k] >= s.local[k - 1],
                        "emission order at " + k);
            }
        }
    }
}
