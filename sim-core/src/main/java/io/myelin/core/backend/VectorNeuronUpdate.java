package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The neuron update on the JDK's Vector API, one register of neurons (16 on AVX-512) at a time: the operations of
 * {@link ScalarNeuronUpdate}, lane by lane, with the threshold test as a mask. Vector {@code add}/{@code sub}/
 * {@code mul}/{@code div} round each lane exactly like the scalar float operation and nothing here fuses a
 * multiply-add, so the result is bit-identical. Refractory neurons are integrated like the others and their V is
 * then not used until {@link RefractoryNeurons} sets it to V_reset at their release (a few percent of neurons, kept in
 * a calendar), which saves every register a flag load and a blend; only where V crossed threshold are the flags read,
 * to leave refractory neurons out of the spikes. Spikes are rare (about one neuron in a thousand per step), so only a
 * register with a crossing takes a branch, which records the register and its integrated V; its lanes are listed,
 * ascending, after the loop ({@link #listCrossings}). A range's last partial register goes to the scalar kernel.
 *
 * <p>Written for C2 of JDK 17, which keeps vectors in registers only while it sees every use: a vector passed to a
 * method that is not inlined, assigned in a branch, or a mask read with {@code toLong()}, is boxed on the heap on every
 * iteration, which made the first version 5 times slower than scalar code. Unpredictable branches (did input arrive
 * at these 16 neurons?) are avoided too: the stores they would save cost less than the mispredictions.
 *
 * <p>Load this class only where {@code jdk.incubator.vector} is in the boot layer ({@link NeuronUpdates} checks).
 */
final class VectorNeuronUpdate implements NeuronUpdate {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private final CompiledNetwork net;
    private final NeuronState s;
    private final ScalarNeuronUpdate tail;
    /** Per register that crossed threshold: its integrated V at the register's neuron offset, and that offset. */
    private final float[] crossedV;
    private final int[] crossedAt;

    VectorNeuronUpdate(CompiledNetwork net, NeuronState state) {
        if (lanes() == 0) {
            throw new IllegalStateException("vector species of different lane counts: " + F + ", " + I);
        }
        this.net = net;
        this.s = state;
        this.tail = new ScalarNeuronUpdate(net, state);
        this.crossedV = new float[state.v().length + F.length()];
        this.crossedAt = new int[state.v().length / F.length() + 1];
    }

    /** Neurons per register, or 0 where the float and int registers' lane counts do not match. */
    static int lanes() {
        return F.length() == I.length() && I.length() <= Integer.SIZE ? F.length() : 0;
    }

    @Override
    public int update(int p, int from, int to, int slotBase, int[] out, int count) {
        int upper = from + (to - from) / F.length() * F.length();
        if (!(net.pVReset[p] < net.pVThreshold[p])) {
            // A reset at or above threshold (equal once rounded to float): a held neuron fires every step, which
            // the vector loops, testing only integrated values, do not do. Never in practice; exact here.
            upper = from;
        } else if (net.pKind[p] == CompiledNetwork.KIND_LIF) {
            count = s.delivered() ? lifDelivered(p, from, upper, out, count)
                    : net.pDeltaMask[p] == 0 ? lifCurrents(p, from, upper, slotBase, out, count)
                    : lifWithJumps(p, from, upper, slotBase, out, count);
        } else {
            count = discrete(p, from, upper, slotBase, out, count);
        }
        return tail.update(p, upper, to, slotBase, out, count);
    }

    /**
     * Both receptors feed exponential currents and the input is already in them (CUBA, {@link NeuronState#delivered}):
     * the hot loop, three streams (V and the two currents) where {@link #lifCurrents} has five.
     */
    private int lifDelivered(int p, int from, int to, int[] out, int count) {
        final float[] v = s.v(), current = s.current();
        final byte[] refractory = s.refractory();
        final int stride = s.stride();
        final float[] bias = s.uniformBias()[p] != null ? s.uniformBias()[p] : s.biasDrive();
        final int biasStep = s.uniformBias()[p] != null ? 0 : 1;
        final FloatVector vRest = FloatVector.broadcast(F, net.pVRest[p]);
        final float vDecay = net.pVDecay[p], excToV = net.pExcToV[p], inhToV = net.pInhToV[p];
        final float excDecay = net.pExcDecay[p], inhDecay = net.pInhDecay[p];
        final float vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        final float[] crossedV = this.crossedV;
        final int[] crossedAt = this.crossedAt;
        final int first = from / F.length();
        int crossings = first;
        for (int i = from; i < to; i += F.length()) {
            FloatVector ie = FloatVector.fromArray(F, current, i);
            FloatVector ii = FloatVector.fromArray(F, current, i + stride);
            FloatVector vi = vRest.add(FloatVector.fromArray(F, v, i).sub(vRest).mul(vDecay)).add(ie.mul(excToV))
                    .add(ii.mul(inhToV)).add(FloatVector.fromArray(F, bias, i * biasStep));
            ie.mul(excDecay).intoArray(current, i);
            ii.mul(inhDecay).intoArray(current, i + stride);
            VectorMask<Float> crossed = vi.compare(VectorOperators.GE, vTh);
            vi.blend(vReset, crossed).intoArray(v, i);
            if (crossed.anyTrue()) {
                vi.intoArray(crossedV, i);
                crossedAt[crossings++] = i;
            }
        }
        return listCrossings(first, crossings, vTh, refractory, out, count);
    }

    /**
     * Lists, ascending, the neurons that crossed in the registers recorded at {@code crossedAt[first..last)} and are not
     * refractory. The loops record a crossing register and its integrated V instead of listing its lanes: listing calls
     * out of the loop, and around a call C2 kept the loop's index in a vector register, which made a step of every
     * register wait on moves between the register files.
     */
    private int listCrossings(int first, int last, float vTh, byte[] refractory, int[] out, int count) {
        for (int c = first; c < last; c++) {
            int i = crossedAt[c];
            for (int k = 0; k < F.length(); k++) {
                if (crossedV[i + k] >= vTh && refractory[i + k] == 0) {
                    out[count++] = i + k;
                }
            }
        }
        return count;
    }

    /** Both receptors feed exponential currents, the input still in the ring (delays of several lengths). */
    private int lifCurrents(int p, int from, int to, int slotBase, int[] out, int count) {
        final float[] v = s.v(), current = s.current();
        final int[] ring = s.ring();
        final byte[] refractory = s.refractory();
        final int stride = s.stride();
        final float inv = s.inverse();
        final float[] bias = s.uniformBias()[p] != null ? s.uniformBias()[p] : s.biasDrive();
        final int biasStep = s.uniformBias()[p] != null ? 0 : 1;   // a shared bias: always its one line
        final FloatVector vRest = FloatVector.broadcast(F, net.pVRest[p]);
        final float vDecay = net.pVDecay[p], excToV = net.pExcToV[p], inhToV = net.pInhToV[p];
        final float excDecay = net.pExcDecay[p], inhDecay = net.pInhDecay[p];
        final float vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        final IntVector zero = IntVector.zero(I);
        final float[] crossedV = this.crossedV;
        final int[] crossedAt = this.crossedAt;
        final int first = from / F.length();
        int crossings = first;
        for (int i = from; i < to; i += F.length()) {
            int e = slotBase + i;
            FloatVector tE = input(IntVector.fromArray(I, ring, e), inv);
            FloatVector tI = input(IntVector.fromArray(I, ring, e + stride), inv);
            zero.intoArray(ring, e);
            zero.intoArray(ring, e + stride);
            FloatVector ie = FloatVector.fromArray(F, current, i).sub(tE);
            FloatVector ii = FloatVector.fromArray(F, current, i + stride).sub(tI);
            FloatVector vi = vRest.add(FloatVector.fromArray(F, v, i).sub(vRest).mul(vDecay)).add(ie.mul(excToV))
                    .add(ii.mul(inhToV)).add(FloatVector.fromArray(F, bias, i * biasStep));
            ie.mul(excDecay).intoArray(current, i);
            ii.mul(inhDecay).intoArray(current, i + stride);
            // Lanes that cross reset and, unless refractory, are listed; a refractory neuron's V is RefractoryNeurons'
            // to set at its release. (Written out in each loop, and no vector is assigned in a branch: see the class comment.)
            VectorMask<Float> crossed = vi.compare(VectorOperators.GE, vTh);
            vi.blend(vReset, crossed).intoArray(v, i);
            if (crossed.anyTrue()) {
                vi.intoArray(crossedV, i);
                crossedAt[crossings++] = i;
            }
        }
        return listCrossings(first, crossings, vTh, refractory, out, count);
    }

    /** Some receptor jumps V directly (delta synapses); the other, if any, feeds a current. */
    private int lifWithJumps(int p, int from, int to, int slotBase, int[] out, int count) {
        final float[] v = s.v(), current = s.current();
        final int[] ring = s.ring();
        final byte[] refractory = s.refractory();
        final int stride = s.stride();
        final float inv = s.inverse();
        final float[] bias = s.uniformBias()[p] != null ? s.uniformBias()[p] : s.biasDrive();
        final int biasStep = s.uniformBias()[p] != null ? 0 : 1;
        final FloatVector vRest = FloatVector.broadcast(F, net.pVRest[p]);
        final float vDecay = net.pVDecay[p], excToV = net.pExcToV[p], inhToV = net.pInhToV[p];
        final float excDecay = net.pExcDecay[p], inhDecay = net.pInhDecay[p];
        final float vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        final int deltaMask = net.pDeltaMask[p];
        // Which receptor jumps V, as lane masks (all lanes or none), so that no vector is chosen by a branch.
        final VectorMask<Float> excJumps = VectorMask.fromLong(F, (deltaMask & 1) != 0 ? -1L : 0L);
        final VectorMask<Float> inhJumps = VectorMask.fromLong(F, (deltaMask & 2) != 0 ? -1L : 0L);
        final IntVector zero = IntVector.zero(I);
        final FloatVector none = FloatVector.zero(F);
        final float[] crossedV = this.crossedV;
        final int[] crossedAt = this.crossedAt;
        final int first = from / F.length();
        int crossings = first;
        for (int i = from; i < to; i += F.length()) {
            int e = slotBase + i;
            FloatVector tE = input(IntVector.fromArray(I, ring, e), inv);
            FloatVector tI = input(IntVector.fromArray(I, ring, e + stride), inv);
            zero.intoArray(ring, e);
            zero.intoArray(ring, e + stride);
            // A jump is 0 - t (the input, +0 where none); a current takes I - t; the other lanes of each stay as
            // they were (a current of a jumping receptor is never used: its weight into V is 0 and it stays 0).
            FloatVector jumpE = none.blend(none.sub(tE), excJumps);
            FloatVector jumpI = none.blend(none.sub(tI), inhJumps);
            FloatVector ie0 = FloatVector.fromArray(F, current, i);
            FloatVector ii0 = FloatVector.fromArray(F, current, i + stride);
            FloatVector ie = ie0.sub(tE).blend(ie0, excJumps);
            FloatVector ii = ii0.sub(tI).blend(ii0, inhJumps);
            FloatVector vi = vRest.add(FloatVector.fromArray(F, v, i).sub(vRest).mul(vDecay)).add(ie.mul(excToV))
                    .add(ii.mul(inhToV)).add(FloatVector.fromArray(F, bias, i * biasStep)).add(jumpE.add(jumpI));
            ie.mul(excDecay).intoArray(current, i);
            ii.mul(inhDecay).intoArray(current, i + stride);
            VectorMask<Float> crossed = vi.compare(VectorOperators.GE, vTh);
            vi.blend(vReset, crossed).intoArray(v, i);
            if (crossed.anyTrue()) {
                vi.intoArray(crossedV, i);
                crossedAt[crossings++] = i;
            }
        }
        return listCrossings(first, crossings, vTh, refractory, out, count);
    }

    private int discrete(int p, int from, int to, int slotBase, int[] out, int count) {
        final float[] v = s.v();
        final int[] ring = s.ring();
        final byte[] refractory = s.refractory();
        final int stride = s.stride();
        final float inv = s.inverse();
        final float[] bias = s.uniformBias()[p] != null ? s.uniformBias()[p] : s.biasDrive();
        final int biasStep = s.uniformBias()[p] != null ? 0 : 1;
        final float tau = net.pTauSteps[p], vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        final IntVector zero = IntVector.zero(I);
        final FloatVector none = FloatVector.zero(F);
        final float[] crossedV = this.crossedV;
        final int[] crossedAt = this.crossedAt;
        final int first = from / F.length();
        int crossings = first;
        for (int i = from; i < to; i += F.length()) {
            int e = slotBase + i;
            FloatVector inE = none.sub(input(IntVector.fromArray(I, ring, e), inv));
            FloatVector inI = none.sub(input(IntVector.fromArray(I, ring, e + stride), inv));
            zero.intoArray(ring, e);
            zero.intoArray(ring, e + stride);
            FloatVector x = inE.add(inI).add(FloatVector.fromArray(F, bias, i * biasStep));
            FloatVector vi = FloatVector.fromArray(F, v, i);
            FloatVector next = vi.sub(vi.div(tau)).add(x);
            VectorMask<Float> crossed = next.compare(VectorOperators.GE, vTh);
            next.blend(vReset, crossed).intoArray(v, i);
            if (crossed.anyTrue()) {
                next.intoArray(crossedV, i);
                crossedAt[crossings++] = i;
            }
        }
        return listCrossings(first, crossings, vTh, refractory, out, count);   // discrete neurons: never refractory
    }

    /** Fixed-point sums to float: int to float (rounded as Java's cast), times the exact power of two. */
    private static FloatVector input(IntVector fixed, float inv) {
        return ((FloatVector) fixed.convert(VectorOperators.I2F, 0)).mul(inv);
    }
}
