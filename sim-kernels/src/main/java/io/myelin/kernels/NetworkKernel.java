package io.myelin.kernels;

import com.aparapi.Kernel;

/**
 * The clock-driven engine's per-step work as one Aparapi kernel with several phases (one OpenCL program, so every
 * phase sees the same device buffers): {@link #UPDATE} integrates every neuron and appends spiking neurons to a
 * device spike list, {@link #PROPAGATE} scatters each spike's CSR row into the delay ring buffer with integer
 * atomics, and the gather phases copy small pieces of device state into read-back buffers for monitors.
 *
 * <p>The float arithmetic repeats {@link io.myelin.core.backend.JavaBackend}'s expressions operation for operation.
 * OpenCL C contracts {@code a*b + c} into a fused multiply-add by default ({@code FP_CONTRACT ON}; PoCL/LLVM does it,
 * measured: 13% of random {@code a*b+c} differ from Java), and Aparapi offers no build options or pragmas. So every
 * product that feeds an addition is multiplied by {@link #one}, a kernel argument the compiler cannot know is 1:
 * the add then sees {@code (a*b)*one}, and the only contraction left, {@code fma(a*b, one, c)}, rounds exactly like
 * {@code a*b + c} in Java because {@code a*b} was already rounded. Products by the fixed-point scale are powers of two
 * (exact) and need no guard. The discrete model's {@code V/τ} is computed in double and rounded to float: OpenCL
 * allows 2.5 ulp for float division by default, but double division is correctly rounded, and rounding a correctly
 * rounded double quotient to float gives the correctly rounded float quotient (53 &ge; 2·24 + 2 bits), i.e. Java's.
 * The divisor is multiplied by {@link #oneD}: with both operands plain float-to-double conversions, NVIDIA's
 * compiler narrowed the division back to an approximate float division (H100: 1-ulp differences in V at step 0).
 *
 * <p>Fields are the kernel's arguments; arrays stay on the device between steps (explicit buffer management) and
 * are never empty (OpenCL has no zero-size buffers).
 */
final class NetworkKernel extends Kernel {
    static final int UPDATE = 0;
    static final int PROPAGATE = 1;
    static final int GATHER_SPIKES = 2;
    static final int GATHER_STATE = 3;

    // Scalars, set by the host before each launch.
    int phase;
    /** Neurons. */
    int n;
    /** Index of the first ring entry of the slot read in this step. */
    int base;
    /** Which of the two spike counters this step appends to (the other is cleared for the next step). */
    int parity;
    int currentSlot;
    int slots;
    int slotSize;
    /** Work-items per spike in {@link #PROPAGATE}: lane {@code l} of a spike handles synapses l, l+lanes, ... */
    int lanes;
    int neuronSpikes;
    int totalSpikes;
    /** Element count of a gather phase. */
    int gatherCount;
    /** 2^-bits of the fixed-point scale. */
    float inv;
    /** Always 1; opaque to the OpenCL compiler (see class comment). */
    float one = 1f;
    /** Always 1.0; keeps the double division from being narrowed back to an approximate float one. */
    double oneD = 1.0;

    // Network state.
    int[] ring = new int[1];
    float[] v = new float[1];
    float[] iExc = new float[1];
    float[] iInh = new float[1];
    int[] refractory = new int[1];
    long[] spikeCounts = new long[1];

    // Network constants.
    float[] biasDrive = new float[1];
    int[] population = new int[1];
    int[] pKind = new int[1];
    int[] pDeltaMask = new int[1];
    int[] pRefractorySteps = new int[1];
    float[] pVRest = new float[1];
    float[] pVDecay = new float[1];
    float[] pExcToV = new float[1];
    float[] pInhToV = new float[1];
    float[] pExcDecay = new float[1];
    float[] pInhDecay = new float[1];
    float[] pVReset = new float[1];
    float[] pVThreshold = new float[1];
    float[] pTauSteps = new float[1];
    int[] rowStart = new int[1];
    int[] inputIndex = new int[1];
    int[] delay = new int[1];
    int[] weight = new int[1];

    // Spikes and read-back buffers.
    int[] spikeList = new int[1];
    int[] counter = new int[2];
    int[] sourceSpikes = new int[1];
    int[] spikeOut = new int[1];
    int[] stateIndex = new int[1];
    float[] stateOut = new float[3];

    @Override
    public void run() {
        int gid = getGlobalId();
        if (phase == 0) {
            if (gid < n) {
                update(gid);
            }
            if (gid == 0) {
                counter[1 - parity] = 0;
            }
        } else if (phase == 1) {
            propagate(gid);
        } else if (phase == 2) {
            if (gid < gatherCount) {
                spikeOut[gid] = spikeList[gid];
            }
        } else {
            if (gid < gatherCount) {
                int j = stateIndex[gid];
                stateOut[gid] = v[j];
                stateOut[gatherCount + gid] = iExc[j];
                stateOut[2 * gatherCount + gid] = iInh[j];
            }
        }
    }

    private void update(int i) {
        int p = population[i];
        int exc = ring[base + i];
        int inh = ring[base + n + i];
        if (exc != 0) {
            ring[base + i] = 0;
        }
        if (inh != 0) {
            ring[base + n + i] = 0;
        }
        float inE = exc * inv;
        float inI = inh * inv;
        float vi = v[i];
        boolean spiked = false;
        if (pKind[p] == 0) {
            int mask = pDeltaMask[p];
            float ie = iExc[i];
            float ii = iInh[i];
            float pendE = 0f;
            float pendI = 0f;
            if ((mask & 1) == 0) {
                if (exc != 0) {
                    ie = ie + inE;
                }
            } else {
                pendE = inE;
            }
            if ((mask & 2) == 0) {
                if (inh != 0) {
                    ii = ii + inI;
                }
            } else {
                pendI = inI;
            }
            float vRest = pVRest[p];
            vi = vRest + ((vi - vRest) * pVDecay[p]) * one + (ie * pExcToV[p]) * one + (ii * pInhToV[p]) * one
                    + biasDrive[i];
            if (mask != 0) {
                vi = vi + (pendE + pendI);
            }
            iExc[i] = ie * pExcDecay[p];
            iInh[i] = ii * pInhDecay[p];
            int r = refractory[i];
            if (r > 0) {
                vi = pVReset[p];
                r = r - 1;
            }
            if (vi >= pVThreshold[p]) {
                vi = pVReset[p];
                spiked = true;
                if (pRefractorySteps[p] > 0) {
                    r = pRefractorySteps[p];
                }
            }
            refractory[i] = r;
        } else {
            float x = inE + inI + biasDrive[i];
            float q = (float) ((double) vi / ((double) pTauSteps[p] * oneD));
            vi = vi - q + x;
            if (vi >= pVThreshold[p]) {
                vi = pVReset[p];
                spiked = true;
            }
        }
        v[i] = vi;
        if (spiked) {
            int k = atomicAdd(counter, parity, 1);
            spikeList[k] = i;
            spikeCounts[i] = spikeCounts[i] + 1;
        }
    }

    private void propagate(int gid) {
        int k = gid / lanes;
        if (k < totalSpikes) {
            int lane = gid - k * lanes;
            int pre = 0;
            if (k < neuronSpikes) {
                pre = spikeList[k];
            } else {
                pre = sourceSpikes[k - neuronSpikes];
            }
            int end = rowStart[pre + 1];
            for (int s = rowStart[pre] + lane; s < end; s = s + lanes) {
                int slot = currentSlot + delay[s];
                if (slot >= slots) {
                    slot = slot - slots;
                }
                atomicAdd(ring, slot * slotSize + inputIndex[s], weight[s]);
            }
        }
    }
}
