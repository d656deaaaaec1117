package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;

/**
 * The neuron update in plain Java: the tail loop of the vectorised kernel, and the whole update where the JDK's Vector
 * API is absent. {@link #lif} is the definition, one neuron at a time, every float operation written out in the order
 * and grouping of {@link JavaBackend}'s class comment (Java evaluates left to right and never fuses a multiply-add);
 * the common cases run the same operations in short loops that C2 vectorises by itself.
 *
 * <p>The ring holds negated sums {@code t} (see {@link NeuronState}); the values below are exactly those of the
 * class comment: {@code I - t·2^-bits} is {@code I + in} where input arrived and I itself where none did, and
 * {@code 0 - t·2^-bits} is {@code in}, +0 where none arrived.
 */
final class ScalarNeuronUpdate implements NeuronUpdate {
    private final CompiledNetwork net;
    private final NeuronState s;

    ScalarNeuronUpdate(CompiledNetwork net, NeuronState state) {
        this.net = net;
        this.s = state;
    }

    @Override
    public int update(int p, int from, int to, int slotBase, int[] out, int count) {
        if (net.pKind[p] != CompiledNetwork.KIND_LIF) {
            return discrete(p, from, to, slotBase, out, count);
        }
        // The split loops leave refractory neurons to RefractoryNeurons, exact where V_reset is below threshold.
        return net.pDeltaMask[p] == 0 && net.pVReset[p] < net.pVThreshold[p]
                ? lifCurrents(p, from, to, slotBase, out, count) : lif(p, from, to, slotBase, out, count);
    }

    /**
     * Both receptors feed currents, as in CUBA: the same operations as {@link #lif}, in short loops over two to five
     * arrays, which C2 vectorises by itself (a loop over all the state at once it does not); refractory neurons
     * integrate like the others, are left out of the spikes and get V_reset at their release ({@link RefractoryNeurons}).
     */
    private int lifCurrents(int p, int from, int to, int slotBase, int[] out, int count) {
        final float[] v = s.v(), current = s.current(), biasDrive = s.biasDrive();
        final int[] ring = s.ring();
        final int stride = s.stride();
        final float inv = s.inverse();
        final float vRest = net.pVRest[p], vDecay = net.pVDecay[p], excToV = net.pExcToV[p], inhToV = net.pInhToV[p];
        final float excDecay = net.pExcDecay[p], inhDecay = net.pInhDecay[p];
        if (!s.delivered()) {
            // The ring's offset of a slot's entry is the current's offset plus slotBase (see NeuronState).
            for (int i = from; i < to; i++) {
                current[i] = current[i] - ring[slotBase + i] * inv;
                ring[slotBase + i] = 0;
            }
            for (int i = from + stride; i < to + stride; i++) {
                current[i] = current[i] - ring[slotBase + i] * inv;
                ring[slotBase + i] = 0;
            }
        }
        for (int i = from; i < to; i++) {
            v[i] = vRest + (v[i] - vRest) * vDecay + current[i] * excToV + current[stride + i] * inhToV + biasDrive[i];
        }
        for (int i = from; i < to; i++) {
            current[i] = current[i] * excDecay;
        }
        for (int i = from + stride; i < to + stride; i++) {
            current[i] = current[i] * inhDecay;
        }
        return threshold(p, from, to, out, count);
    }

    /** Resets the neurons at or above threshold and lists those not refractory (discrete neurons never are). */
    private int threshold(int p, int from, int to, int[] out, int count) {
        final float[] v = s.v();
        final byte[] refractory = s.refractory();
        final float vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        for (int i = from; i < to; i++) {
            if (v[i] >= vTh) {
                v[i] = vReset;
                if (refractory[i] == 0) {
                    out[count++] = i;
                }
            }
        }
        return count;
    }

    private int lif(int p, int from, int to, int slotBase, int[] out, int count) {
        final float[] v = s.v(), current = s.current(), biasDrive = s.biasDrive();
        final int[] ring = s.ring();
        final byte[] refractory = s.refractory();
        final int stride = s.stride();
        final float inv = s.inverse();
        final float vRest = net.pVRest[p], vDecay = net.pVDecay[p], excToV = net.pExcToV[p], inhToV = net.pInhToV[p];
        final float excDecay = net.pExcDecay[p], inhDecay = net.pInhDecay[p];
        final float vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        final int deltaMask = net.pDeltaMask[p];
        final boolean excJumps = (deltaMask & 1) != 0, inhJumps = (deltaMask & 2) != 0;
        for (int i = from; i < to; i++) {
            int e = slotBase + i;
            float tE = ring[e] * inv;
            float tI = ring[e + stride] * inv;
            ring[e] = 0;
            ring[e + stride] = 0;
            float ie = current[i];
            float ii = current[stride + i];
            float jumpE = 0f;
            float jumpI = 0f;
            if (excJumps) {
                jumpE = 0f - tE;
            } else {
                ie = ie - tE;
            }
            if (inhJumps) {
                jumpI = 0f - tI;
            } else {
                ii = ii - tI;
            }
            float vi = vRest + (v[i] - vRest) * vDecay + ie * excToV + ii * inhToV + biasDrive[i];
            if (deltaMask != 0) {
                vi = vi + (jumpE + jumpI);
            }
            current[i] = ie * excDecay;
            current[stride + i] = ii * inhDecay;
            if (refractory[i] != 0) {
                vi = vReset;
            }
            if (vi >= vTh) {
                vi = vReset;
                out[count++] = i;
            }
            v[i] = vi;
        }
        return count;
    }

    private int discrete(int p, int from, int to, int slotBase, int[] out, int count) {
        final float[] v = s.v(), biasDrive = s.biasDrive();
        final int[] ring = s.ring();
        final float inv = s.inverse();
        final float tau = net.pTauSteps[p];
        final int exc = slotBase, inh = slotBase + s.stride();
        for (int i = from; i < to; i++) {
            float x = (0f - ring[exc + i] * inv) + (0f - ring[inh + i] * inv) + biasDrive[i];
            float vi = v[i];
            v[i] = vi - vi / tau + x;
            ring[exc + i] = 0;
            ring[inh + i] = 0;
        }
        return threshold(p, from, to, out, count);
    }
}
