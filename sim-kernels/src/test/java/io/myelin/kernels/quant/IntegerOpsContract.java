package io.myelin.kernels.quant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link IntegerOps} must do: reproduce small examples worked out by hand (the expected numbers below are
 * independent of any implementation), handle empty shapes, and reject bad arguments with a message that says what
 * is wrong. Subclasses supply the implementation.
 */
abstract class IntegerOpsContract {
    /** The implementation under test; the same instance for every test of a class. */
    abstract IntegerOps ops();

    /**
     * out 2, in 3, rows 2, levels 2. Weights (rows are outputs): o0 = [1, -2, 3], o1 = [5, 4, -1]. Counts: r0 = [2, 0,
     * 1], r1 = [1, 2, 2]. As binary steps: row 0 spikes inputs {0, 2} on step 1 and {0} on step 2, so o0 = (1 + 3) + 1
     * = 5 and o1 = (5 - 1) + 5 = 9; row 1 spikes {0, 1, 2} on step 1 and {1, 2} on step 2, so o0 = (1 - 2 + 3) +
     * (-2 + 3) = 3 and o1 = (5 + 4 - 1) + (4 - 1) = 11.
     */
    @Test
    void accumulateMatchesAHandWorkedExample() {
        int[] weights = {1, -2, 3, 5, 4, -1};
        int[] counts = {2, 0, 1, 1, 2, 2};
        assertArrayEquals(new int[]{5, 9, 3, 11}, ops().accumulate(weights, 2, 3, counts, 2, 2));
    }

    /** Levels 4 and an input at the maximum count: 4 steps of weight 7 plus 1 step of weight -3. */
    @Test
    void accumulateAddsOncePerVirtualStep() {
        assertArrayEquals(new int[]{4 * 7 - 3}, ops().accumulate(new int[]{7, -3}, 1, 2, new int[]{4, 1}, 1, 4));
    }

    /**
     * tokens 2, batch 2, channels 4, heads 2 (d = 2), valid = [2, 1]. Values are [token][sample][channel].
     *
     * <p>Sample 0, both tokens valid. Head 0 (channels 0, 1): k0 = [1, 2], v0 = [3, 1] and k1 = [2, 0], v1 = [1, 1],
     * so M = [[3, 1], [6, 2]] + [[2, 2], [0, 0]] = [[5, 3], [6, 2]]; q0 = [1, 0] gives [5, 3], q1 = [0, 2] gives
     * [12, 4]. Head 1 (channels 2, 3): k0 = [0, 1], v0 = [2, 0] and k1 = [1, 1], v1 = [0, 3], so M = [[0, 0], [2, 0]]
     * + [[0, 3], [0, 3]] = [[0, 3], [2, 3]]; q0 = [2, 1] gives [2, 9], q1 = [1, 1] gives [2, 6].
     *
     * <p>Sample 1, only token 0 valid (token 1 holds 3s everywhere, which must count nowhere). Head 0: k = [1, 0],
     * v = [2, 3], M = [[2, 3], [0, 0]], q = [1, 1] gives [2, 3]. Head 1: k = [2, 1], v = [1, 1], M = [[2, 2], [1, 1]],
     * q = [0, 2] gives [2, 2]. The padded token gets zeros.
     */
    @Test
    void linearAttentionMatchesAHandWorkedExample() {
        int[] q = {1, 0, 2, 1, /* sample 1 */ 1, 1, 0, 2, /* token 1 */ 0, 2, 1, 1, /* padded */ 3, 3, 3, 3};
        int[] k = {1, 2, 0, 1, 1, 0, 2, 1, 2, 0, 1, 1, 3, 3, 3, 3};
        int[] v = {3, 1, 2, 0, 2, 3, 1, 1, 1, 1, 0, 3, 3, 3, 3, 3};
        int[] expected = {5, 3, 2, 9, 2, 3, 2, 2, 12, 4, 2, 6, 0, 0, 0, 0};
        assertArrayEquals(expected, ops().linearAttention(q, k, v, 2, 2, 4, 2, new int[]{2, 1}));
    }

    /** One head over all channels: M = k^T v is 2 x 2, and a sample with no valid token is all zeros. */
    @Test
    void linearAttentionWithOneHeadAndAnEmptySample() {
        // token 0: sample 0 = [1, 2], sample 1 = [4, 4]; token 1: sample 0 = [3, 0], sample 1 = [4, 4]
        int[] q = {1, 2, 4, 4, 3, 0, 4, 4};
        int[] k = {2, 1, 4, 4, 0, 1, 4, 4};
        int[] v = {1, 3, 4, 4, 2, 2, 4, 4};
        // M = [2, 1]^T [1, 3] + [0, 1]^T [2, 2] = [[2, 6], [1, 3]] + [[0, 0], [2, 2]] = [[2, 6], [3, 5]]
        // q0 = [1, 2]: [2 + 6, 6 + 10] = [8, 16]; q1 = [3, 0]: [6, 18]
        int[] expected = {8, 16, 0, 0, 6, 18, 0, 0};
        assertArrayEquals(expected, ops().linearAttention(q, k, v, 2, 2, 2, 1, new int[]{2, 0}));
    }

    @Test
    void emptyShapesGiveEmptyResults() {
        assertArrayEquals(new int[0], ops().accumulate(new int[]{1, 2, 3, 4, 5, 6}, 2, 3, new int[0], 0, 4));
        assertArrayEquals(new int[0], ops().linearAttention(new int[0], new int[0], new int[0], 0, 3, 8, 2,
                new int[]{0, 0, 0}));
    }

    @Test
    void levelsZeroAllowsOnlySilentInputs() {
        assertArrayEquals(new int[]{0, 0}, ops().accumulate(new int[]{1, 2, 3, 4}, 2, 2, new int[]{0, 0}, 1, 0));
        rejects(() -> ops().accumulate(new int[]{1, 2}, 1, 2, new int[]{0, 1}, 1, 0), "spike count 1", "0..0");
    }

    @Test
    void accumulateRejectsWrongArrayLengths() {
        rejects(() -> ops().accumulate(new int[5], 2, 3, new int[6], 2, 4), "weights hold 5", "[2][3] needs 6");
        rejects(() -> ops().accumulate(new int[6], 2, 3, new int[5], 2, 4), "counts hold 5", "[2][3] needs 6");
        rejects(() -> ops().accumulate(new int[0], 0, 3, new int[0], 0, 4), "out=0");
        rejects(() -> ops().accumulate(new int[6], 2, 3, new int[0], -1, 4), "rows=-1");
    }

    @Test
    void accumulateRejectsCountsOutsideZeroToLevels() {
        rejects(() -> ops().accumulate(new int[3], 1, 3, new int[]{0, 5, 1}, 1, 4), "spike count 5", "0..4");
        rejects(() -> ops().accumulate(new int[3], 1, 3, new int[]{0, -1, 1}, 1, 4), "spike count -1", "0..4");
    }

    @Test
    void attentionRejectsChannelsNotDivisibleByHeads() {
        int[] x = new int[2 * 1 * 6];
        rejects(() -> ops().linearAttention(x, x, x, 2, 1, 6, 4, new int[]{2}), "channels (6)",
                "divisible by heads (4)");
    }

    @Test
    void attentionRejectsWrongArrayLengthsAndValidLengths() {
        int[] x = new int[2 * 3 * 4];
        rejects(() -> ops().linearAttention(x, new int[23], x, 2, 3, 4, 2, new int[]{2, 2, 2}),
                "[2][3][4] = 24", "got 24, 23, 24");
        rejects(() -> ops().linearAttention(x, x, x, 2, 3, 4, 2, new int[]{2, 2}), "valid holds 2",
                "batch of 3");
        rejects(() -> ops().linearAttention(x, x, x, 2, 3, 4, 2, new int[]{2, 3, 0}), "valid length 3",
                "0..2");
        rejects(() -> ops().linearAttention(x, x, x, 2, 3, 4, 2, new int[]{2, -1, 0}), "valid length -1");
    }

    static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
    }
}
