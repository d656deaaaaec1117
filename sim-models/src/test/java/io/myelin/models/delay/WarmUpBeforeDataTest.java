package io.myelin.models.delay;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which delay SNNs start the JIT warm-up before their data is read: those whose hidden layers alone reach the
 * warm-up's size, whatever the data's inputs and classes turn out to be.
 */
class WarmUpBeforeDataTest {
    @Test
    void twoConsecutiveHiddenLayersOfTheWarmUpsSizeStartIt() {
        assertTrue(DelaySnn.warmsUpBeforeData(List.of(256, 256)), "the SHD recipe");
        assertTrue(DelaySnn.warmsUpBeforeData(List.of(512, 512, 512)), "the SSC recipe");
        assertTrue(DelaySnn.warmsUpBeforeData(List.of(32, 128, 128)));
        assertTrue(DelaySnn.warmsUpBeforeData(List.of(64, 256)), "64 x 256 = 128 x 128 synapses");
    }

    @Test
    void smallerOrSingleHiddenLayersWaitForTheModel() {
        assertFalse(DelaySnn.warmsUpBeforeData(List.of(256)), "one hidden layer: its size depends on the inputs");
        assertFalse(DelaySnn.warmsUpBeforeData(List.of(64, 64)));
        assertFalse(DelaySnn.warmsUpBeforeData(List.of(127, 128)));
        assertFalse(DelaySnn.warmsUpBeforeData(List.of()));
    }
}
