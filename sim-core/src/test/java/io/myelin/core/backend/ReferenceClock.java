package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;

import java.util.Arrays;

/**
 * The clock-driven step written as plainly as it is specified in {@link JavaBackend}'s class comment, independently
 * of the backend's layout and kernels: a ring of {@code maxDelay + 1} slots holding positive fixed-point sums, every
 * neuron visited in index order with every branch written out, a refractory counter per neuron, synapses scattered
 * from the compiled network's CSR in order. The truth the backend's kernels are checked against, bit for bit.
 */
final class ReferenceClock {
    private final CompiledNetwork net;
    private final int n;
    private final int slots;
    private final int[][] ringExc;
    private final int[][] ringInh;
    final float[] v;
    final float[] iExc;
    final float[] iInh;
    private final int[] refractory;
    private final float[] biasDrive;

    ReferenceClock(CompiledNetwork net) {
        this.net = net;
        this.n = net.neuronCount;
        this.slots = net.maxDelaySteps + 1;
        ringExc = new int[slots][n];
        ringInh = new int[slots][n];
        v = Arrays.copyOf(net.initialV, n);
        iExc = new float[n];
        iInh = new float[n];
        refractory = new int[n];
        biasDrive = new float[n];
        for (int i = 0; i < n; i++) {
            int p = net.neuronPopulation[i];
            biasDrive[i] = net.pKind[p] == CompiledNetwork.KIND_LIF ? net.bias[i] * net.pBiasToV[p] : net.bias[i];
        }
    }

    /** Updates every neuron for {@code step} and returns the spiking neurons, ascending. */
    int[] update(long step) {
        int slot = (int) (step % slots);
        float inv = net.scale.inverse();
        int[] spikes = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int p = net.neuronPopulation[i];
            int exc = ringExc[slot][i];
            int inh = ringInh[slot][i];
            ringExc[slot][i] = 0;
            ringInh[slot][i] = 0;
            float inE = exc * inv;
            float inI = inh * inv;
            boolean spiked = false;
            if (net.pKind[p] == CompiledNetwork.KIND_LIF) {
                int mask = net.pDeltaMask[p];
                float jumpE = 0f;
                float jumpI = 0f;
                if ((mask & 1) != 0) {
                    jumpE = inE;
                } else if (exc != 0) {
                    iExc[i] = iExc[i] + inE;
                }
                if ((mask & 2) != 0) {
                    jumpI = inI;
                } else if (inh != 0) {
                    iInh[i] = iInh[i] + inI;
                }
                float vRest = net.pVRest[p];
                float vi = vRest + (v[i] - vRest) * net.pVDecay[p] + iExc[i] * net.pExcToV[p]
                        + iInh[i] * net.pInhToV[p] + biasDrive[i];
                if (mask != 0) {
                    vi = vi + (jumpE + jumpI);
                }
                iExc[i] = iExc[i] * net.pExcDecay[p];
                iInh[i] = iInh[i] * net.pInhDecay[p];
                if (refractory[i] > 0) {
                    vi = net.pVReset[p];
                    refractory[i]--;
                }
                if (vi >= net.pVThreshold[p]) {
                    vi = net.pVReset[p];
                    spiked = true;
                    if (net.pRefractorySteps[p] > 0) {
                        refractory[i] = net.pRefractorySteps[p];
                    }
                }
                v[i] = vi;
            } else {
                float x = inE + inI + biasDrive[i];
                float vi = v[i];
                vi = vi - vi / net.pTauSteps[p] + x;
                if (vi >= net.pVThreshold[p]) {
                    vi = net.pVReset[p];
                    spiked = true;
                }
                v[i] = vi;
            }
            if (spiked) {
                spikes[count++] = i;
            }
        }
        return Arrays.copyOf(spikes, count);
    }

    /** Scatters the synapses of {@code spikes} (global indices: neurons and sources) emitted at {@code step}. */
    void propagate(long step, int[] spikes) {
        for (int pre : spikes) {
            for (int s = net.rowStart[pre]; s < net.rowStart[pre + 1]; s++) {
                int slot = (int) ((step + net.delaySteps[s]) % slots);
                int[][] ring = net.receptor[s] == 0 ? ringExc : ringInh;
                ring[slot][net.target[s]] += net.weightFixed[s];
            }
        }
    }
}
