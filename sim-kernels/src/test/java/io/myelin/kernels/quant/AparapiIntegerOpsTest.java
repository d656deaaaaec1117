package io.myelin.kernels.quant;

import com.aparapi.device.OpenCLDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenCL implementation: the hand-worked examples and argument checks of {@link IntegerOpsContract}, and
 * bit-identical agreement with {@link JavaIntegerOps} on random inputs of many shapes. One instance serves every
 * test, so kernels and buffers are reused across shapes that grow and shrink, as in a network's layers. Skipped
 * without OpenCL.
 */
class AparapiIntegerOpsTest extends IntegerOpsContract {
    private static AparapiIntegerOps ops;
    private final JavaIntegerOps reference = new JavaIntegerOps();

    /** Per test, not once per class, so that without OpenCL every test is reported as skipped. */
    @BeforeEach
    void open() {
        OpenCLDevice device = QuantTestDevice.require();
        if (ops == null) {
            ops = new AparapiIntegerOps(device);
        }
    }

    @AfterAll
    static void close() {
        if (ops != null) {
            ops.close();
            ops = null;
        }
    }

    @Override
    IntegerOps ops() {
        return ops;
    }

    /** {out, in, rows, levels}: large first, so later small shapes run on longer, stale device arrays. */
    private static final int[][] ACCUMULATE_SHAPES = {
            {128, 256, 300, 8}, {64, 64, 100, 4}, {1, 1, 1, 1}, {3, 5, 7, 1}, {17, 33, 10, 4}, {250, 3, 65, 4},
            {5, 7, 0, 4}, {4, 4, 3, 0}, {256, 64, 40, 8},
    };

    @Test
    void accumulateAgreesWithJavaOnRandomInputs() {
        Random rng = new Random(11);
        for (int[] s : ACCUMULATE_SHAPES) {
            int out = s[0], in = s[1], rows = s[2], levels = s[3];
            for (double density : new double[]{0.2, 1.0}) {
                int[] w = RandomSpikes.weights(rng, out * in, 127);
                int[] c = RandomSpikes.counts(rng, rows * in, levels, density);
                assertArrayEquals(reference.accumulate(w, out, in, c, rows, levels),
                        ops.accumulate(w, out, in, c, rows, levels),
                        () -> "out " + out + ", in " + in + ", rows " + rows + ", levels " + levels);
            }
        }
    }

    /** {tokens, batch, channels, heads}; valid lengths are drawn per sample, always including 0 and full. */
    private static final int[][] ATTENTION_SHAPES = {
            {100, 32, 64, 4}, {5, 3, 8, 1}, {7, 4, 16, 4}, {1, 1, 1, 1}, {0, 2, 8, 2}, {13, 5, 12, 3}, {9, 2, 32, 1},
    };

    @Test
    void linearAttentionAgreesWithJavaOnRandomInputs() {
        Random rng = new Random(12);
        for (int[] s : ATTENTION_SHAPES) {
            int tokens = s[0], batch = s[1], channels = s[2], heads = s[3];
            for (int levels : new int[]{1, 4, 8}) {
                int n = tokens * batch * channels;
                int[] q = RandomSpikes.counts(rng, n, levels, 0.3);
                int[] k = RandomSpikes.counts(rng, n, levels, 0.3);
                int[] v = RandomSpikes.counts(rng, n, levels, 0.3);
                int[] valid = new int[batch];
                for (int b = 0; b < batch; b++) {
                    valid[b] = b == 0 ? tokens : b == 1 ? 0 : rng.nextInt(tokens + 1);
                }
                assertArrayEquals(reference.linearAttention(q, k, v, tokens, batch, channels, heads, valid),
                        ops.linearAttention(q, k, v, tokens, batch, channels, heads, valid),
                        () -> "tokens " + tokens + ", batch " + batch + ", channels " + channels + ", heads " + heads
                                + ", levels " + levels);
            }
        }
    }

    @Test
    void nameNamesTheDevice() {
        assertTrue(ops.name().startsWith("opencl:") && ops.name().length() > "opencl:".length(), ops.name());
    }

    @Test
    void closingAnUnusedInstanceIsSafeAndLaterCallsFailClearly() {
        AparapiIntegerOps unused = new AparapiIntegerOps(QuantTestDevice.require());
        assertDoesNotThrow(unused::close);
        assertDoesNotThrow(unused::close);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> unused.accumulate(new int[]{1}, 1, 1, new int[]{1}, 1, 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
