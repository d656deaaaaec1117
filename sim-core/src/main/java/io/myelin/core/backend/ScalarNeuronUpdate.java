package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;

/**
 * The neuron update one neuron at a time: the definition the vectorised kernel must equal bit for bit, its tail loop,
 * and the whole update where the JDK's Vector API is absent. Every float operation is written out in the order and
 * grouping of {@link JavaBackend}'s class comment (Java evaluates left to right and never fuses a multiply-add).
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
        return net.pKind[p] == CompiledNetwork.KIND_LIF ? lif(p, from, to, slotBase, out, count)
                : discrete(p, from, to, slotBase, out, count);
    }

    private int lif(int p, int from, int to, int slotBase, int[] out, int count) {
        final float[] v = s.v(), iExc = s.iExc(), iInh = s.iInh(), biasDrive = s.biasDrive();
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
            float ie = iExc[i];
            float ii = iInh[i];
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
            iExc[i] = ie * excDecay;
            iInh[i] = ii * inhDecay;
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
        final int stride = s.stride();
        final float inv = s.inverse();
        final float tau = net.pTauSteps[p], vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        for (int i = from; i < to; i++) {
            int e = slotBase + i;
            float inE = 0f - ring[e] * inv;
            float inI = 0f - ring[e + stride] * inv;
            ring[e] = 0;
            ring[e + stride] = 0;
            float x = inE + inI + biasDrive[i];
            float vi = v[i];
            vi = vi - vi / tau + x;
            if (vi >= vTh) {
                vi = vReset;
                out[count++] = i;
            }
            v[i] = vi;
        }
        return count;
    }
}
