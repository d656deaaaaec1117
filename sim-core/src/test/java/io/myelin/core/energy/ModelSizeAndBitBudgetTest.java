package io.myelin.core.energy;

import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Model size of a known model and bit budgets, computed by hand. */
class ModelSizeAndBitBudgetTest {
    @Test
    void delayBitsAreCeilLog2OfTheTaps() {
        assertEquals(0, ModelSize.delayBits(1));
        assertEquals(1, ModelSize.delayBits(2));
        assertEquals(2, ModelSize.delayBits(3));
        assertEquals(2, ModelSize.delayBits(4));
        assertEquals(5, ModelSize.delayBits(25));
        assertEquals(5, ModelSize.delayBits(32));
        assertEquals(6, ModelSize.delayBits(33));
        assertThrows(InvalidInputException.class, () -> ModelSize.delayBits(0));
    }

    /**
     * The SHD model of SNN-delays (docs/references.md §3): 140 -> 256 -> 256 -> 20, delayed dense layers with Td = 25
     * taps, BatchNorm on the two hidden layers (gamma, beta, running mean, running variance), here with 4-bit weights.
     */
    @Test
    void shdDelayModelSizeByHand() {
        ModelSize s = ModelSize.builder()
                .add("l1", ParameterKind.WEIGHT, 140 * 256, 4).delays("l1", 140 * 256, 25)
                .add("l1", ParameterKind.BATCH_NORM, 4 * 256, 32).add("l1", ParameterKind.SCALE, 1, 32)
                .add("l2", ParameterKind.WEIGHT, 256 * 256, 4).delays("l2", 256 * 256, 25)
                .add("l2", ParameterKind.BATCH_NORM, 4 * 256, 32).add("l2", ParameterKind.SCALE, 1, 32)
                .add("out", ParameterKind.WEIGHT, 256 * 20, 4).delays("out", 256 * 20, 25)
                .add("out", ParameterKind.SCALE, 1, 32)
                .build();
        long synapses = 35_840 + 65_536 + 5_120; // 106,496
        assertEquals(synapses * 2 + 2048 + 3, s.parameterCount());
        // 4-bit weights, 5-bit delays, float BN and scales
        assertEquals(synapses * 4 + synapses * 5 + 2048 * 32 + 3 * 32, s.totalBits());
        assertEquals((synapses * 2 + 2048 + 3) * 32, s.float32Bits());
        assertEquals(synapses * 4, s.bitsByKind().get(ParameterKind.WEIGHT));
        assertEquals(synapses * 5, s.bitsByKind().get(ParameterKind.DELAY));
        assertEquals((synapses * 2 + 2048 + 3) * 32 / (double) (synapses * 9 + 2048 * 32 + 96), s.compression(), 1e-12);
    }

    @Test
    void bitBudgetAsInShenEtAl() {
        assertEquals(128, BitBudget.of(32, 1, 4));   // float weights, binary spikes, T = 4
        assertEquals(1024, BitBudget.of(32, 32, 1)); // float ANN
        assertEquals(16, BitBudget.of(4, 1, 4));     // 4-bit weights
        assertEquals(1, BitBudget.bitsForCount(0));
        assertEquals(1, BitBudget.bitsForCount(1));
        assertEquals(2, BitBudget.bitsForCount(3));
        assertEquals(3, BitBudget.bitsForCount(4));
        assertEquals(4, BitBudget.bitsForCount(15));
        assertThrows(InvalidInputException.class, () -> BitBudget.of(-1, 1, 1));
        List<LayerActivity> layers = List.of(
                new LayerActivity("in", "source", 10, 4, 1, 5, 0, 0, 0, 0, 0, 0, 1),
                new LayerActivity("a", "dense", 10, 4, 1, 5, 0, 0, 0, 100, 400, 8, 3),
                new LayerActivity("b", "dense", 10, 4, 1, 5, 0, 0, 0, 300, 1200, 4, 1));
        // a: 8 x 3 x 4 = 96 over 100 synapses; b: 4 x 1 x 4 = 16 over 300
        assertEquals((100 * 96 + 300 * 16) / 400.0, BitBudget.networkBudget(layers), 1e-12);
        assertEquals(100 * 96 + 300 * 16, BitBudget.bitOperations(layers), 1e-9);
    }
}
