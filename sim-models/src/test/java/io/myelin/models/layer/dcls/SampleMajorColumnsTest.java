package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The output gradient's sample-major columns, fresh and written into the last batch's arrays: element for element
 * the gradient at {@code b * pitch + t} for t below the output steps and zero over the rest of each sample's rows, and
 * reused arrays that held other values (a longer batch's, NaN) give the kernel gradient the same bits as fresh ones.
 */
class SampleMajorColumnsTest {
    @Test
    void columnsHoldTheGradientByRowAndZerosPastEachSamplesOutputSteps() {
        RandomDclsCase c = RandomDclsCase.of(9, 6, 25, 0.5, 20, 5, 0.2, 11);
        try (Workers workers = new Workers(2)) {
            DclsEventLayout layout = DclsEventLayout.of(c.x(), 25, workers);
            SeqTensor g = c.gradOut();
            float[][] cols = layout.sampleMajorColumns(g, workers);
            assertEquals(6, cols.length);
            for (int o = 0; o < 6; o++) {
                for (int b = 0; b < 5; b++) {
                    for (int t = 0; t < layout.pitch; t++) {
                        float want = t < g.steps ? g.data[(t * 5 + b) * 6 + o] : 0f;
                        assertEquals(want, cols[o][b * layout.pitch + t], "o " + o + " b " + b + " t " + t);
                    }
                }
            }
        }
    }

    @Test
    void reusedArraysFromALongerBatchGiveTheSameKernelGradient() {
        int in = 23, out = 10, taps = 25;
        RandomDclsCase longer = RandomDclsCase.of(in, out, taps, 0.5, 40, 6, 0.3, 5);
        RandomDclsCase c = RandomDclsCase.of(in, out, taps, 0.5, 24, 6, 0.3, 6);
        DclsKernel k = c.kernel();
        try (Workers workers = new Workers(3)) {
            DclsEventLayout layout = DclsEventLayout.of(c.x(), taps, workers);
            float[][] fresh = layout.sampleMajorColumns(c.gradOut(), workers);
            float[] want = new float[in * out * k.maxW];
            new SynapseGatherKernelGradient().kernelGradient(k, layout, fresh, want, workers);

            // the longer batch's columns, then NaN everywhere: every element the kernels read must be rewritten
            float[][] old = DclsEventLayout.of(longer.x(), taps, workers).sampleMajorColumns(longer.gradOut(), workers);
            for (float[] col : old) {
                Arrays.fill(col, Float.NaN);
            }
            float[][] reused = layout.sampleMajorColumns(c.gradOut(), old, workers);
            assertSame(old, reused);
            float[] got = new float[want.length];
            new SynapseGatherKernelGradient().kernelGradient(k, layout, reused, got, workers);
            assertArrayEquals(want, got);
            for (int o = 0; o < out; o++) {
                int rows = 6 * layout.pitch;
                assertArrayEquals(Arrays.copyOf(fresh[o], rows), Arrays.copyOf(reused[o], rows));
            }

            // arrays too short for this batch are not written into
            float[][] shorter = DclsEventLayout.of(RandomDclsCase.of(in, out, taps, 0.5, 10, 6, 0.3, 7).x(), taps,
                    workers).sampleMajorColumns(c.gradOut(), workers);
            assertNotSame(shorter, layout.sampleMajorColumns(c.gradOut(), shorter, workers));
        }
    }
}
