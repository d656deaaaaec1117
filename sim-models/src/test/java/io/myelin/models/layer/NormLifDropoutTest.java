package io.myelin.models.layer;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused BatchNorm -> LIF -> dropout pass against the three layers run one after the other (the reference): the
 * same bits for the output, the input gradient, the BatchNorm parameter gradients and running statistics, the
 * membrane and the spikes, at any thread count; feature counts that are and are not whole vectors.
 */
class NormLifDropoutTest {
    private static final int T = 23, B = 7;

    private record Stack(BatchNormOverTime bn, Lif lif, SequenceDropout drop) {
        static Stack of(int n, double p) {
            BatchNormOverTime bn = new BatchNormOverTime("bn", n);
            Random r = new Random(5);
            for (int c = 0; c < n; c++) {
                bn.gamma().value[c] = (float) (0.5 + r.nextDouble());
                bn.beta().value[c] = (float) (0.4 * r.nextGaussian());
            }
            return new Stack(bn, new Lif(1.005, 1.0, 5.0), new SequenceDropout(p));
        }
    }

    private static SeqTensor random(int n, long seed, double scale, double offset) {
        Random r = new Random(seed);
        float[] d = new float[T * B * n];
        for (int k = 0; k < d.length; k++) {
            d[k] = (float) (offset + scale * r.nextGaussian());
        }
        return new SeqTensor(T, B, n, d);
    }

    @ParameterizedTest
    @CsvSource({"37, 0.4, 1", "37, 0.4, 3", "64, 0.4, 2", "5, 0.0, 2", "48, 0.0, 1"})
    void fusedPassEqualsTheThreeLayersBitForBit(int n, double p, int threads) {
        SeqTensor x = random(n, 11, 1.3, 0.2), g = random(n, 12, 0.7, 0);
        Stack ref = Stack.of(n, p), fused = Stack.of(n, p);
        ref.drop.setSeed(99);
        fused.drop.setSeed(99);
        SeqTensor a = ref.bn.forward(x, true);
        SeqTensor spikes = ref.lif.forward(a, true);
        SeqTensor refOut = ref.drop.forward(spikes, true);
        SeqTensor refGrad = ref.bn.backward(ref.lif.backward(ref.drop.backward(g)));

        NormLifDropout f = new NormLifDropout(fused.bn, fused.lif, fused.drop);
        try (Workers w = new Workers(threads)) {
            f.setWorkers(w);
            fused.bn.setWorkers(w);
            SeqTensor out = f.forward(x);
            assertArrayEquals(refOut.data, out.data, "dropped spikes");
            assertArrayEquals(ref.lif.lastMembrane().data, f.membrane().data, "membrane");
            assertArrayEquals(spikes.data, f.spikes().data, "spikes before dropout");
            double count = 0;
            for (float s : spikes.data) {
                count += s;
            }
            assertEquals(count, f.spikeCount());
            assertTrue(count > 0.05 * spikes.data.length && count < 0.95 * spikes.data.length,
                    "the inputs make some neurons fire and others not: " + count);
            assertArrayEquals(ref.bn.runningMean(), fused.bn.runningMean(), "running mean");
            assertArrayEquals(ref.bn.runningVar(), fused.bn.runningVar(), "running variance");
            float[] gBefore = g.data.clone();
            SeqTensor dx = f.backward(g);
            assertArrayEquals(gBefore, g.data, "backward leaves its argument alone");
            assertArrayEquals(refGrad.data, dx.data, "input gradient");
            assertArrayEquals(ref.bn.gamma().grad, fused.bn.gamma().grad, "gamma gradient");
            assertArrayEquals(ref.bn.beta().grad, fused.bn.beta().grad, "beta gradient");
            // in place over a copy of the gradient: the same bits, on the copy's array; the parameter gradients add up
            float[] gammaGrad = fused.bn.gamma().grad.clone();
            SeqTensor own = g.copy();
            SeqTensor dxInPlace = f.backwardInPlace(own);
            assertSame(own.data, dxInPlace.data, "written over the gradient's array");
            assertArrayEquals(refGrad.data, dxInPlace.data, "input gradient in place");
            for (int c = 0; c < n; c++) {
                // the reference layers ran backward once: their gradient is what one pass adds
                assertEquals(gammaGrad[c] + ref.bn.gamma().grad[c], fused.bn.gamma().grad[c], "gamma gradient again");
            }
            if (p > 0) {
                assertArrayEquals(ref.drop.mask(), fused.drop.mask(), "mask");
            }
        }
        boolean anyNonZero = false;
        for (float v : refGrad.data) {
            anyNonZero |= v != 0;
        }
        assertTrue(anyNonZero, "the gradient reaches the input");
    }
}
