package io.myelin.models.delay;

import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.delay.inference.DelaySnnInference;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Evaluation;
import io.myelin.testing.RepositoryFiles;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link DelaySnnInference} against the training code's evaluation pass ({@code DelaySnn.forward} in evaluation mode
 * on padded batches, then {@code sum_t softmax(V_t)} over each sample's valid steps): the same logits bit for bit, for
 * trained and untrained models, hidden widths that do and do not fill whole vectors, one sample at a time or many,
 * on one thread or several.
 */
class DelaySnnInferenceTest {
    private static BinnedSet test;

    @BeforeAll
    static void load() {
        test = new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5")), new FrameBinner(10, 5, 0));
    }

    /** The reference: the model's batched evaluation forward pass, logits per sample. */
    private static float[][] referenceLogits(DelaySnn model, int batch) {
        return referenceLogits(model, test, batch);
    }

    private static float[][] referenceLogits(DelaySnn model, BinnedSet test, int batch) {
        float[][] out = new float[test.size()][];
        for (int s = 0; s < test.size(); s += batch) {
            int e = Math.min(test.size(), s + batch);
            int[] idx = new int[e - s];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s + k;
            }
            BinnedSet.Batch b = test.batch(idx, model.evaluationPadding());
            SeqTensor v = model.forward(b.x(), b.lengths(), false, 0);
            float[][] m = SumSoftmaxCrossEntropy.logits(v, model.validSteps());
            System.arraycopy(m, 0, out, s, m.length);
        }
        return out;
    }

    private static void assertSameLogits(DelaySnn model, String what) {
        assertSameLogits(model, test, what);
    }

    private static void assertSameLogits(DelaySnn model, BinnedSet test, String what) {
        assumeTrue(DelaySnnInference.available(model), "needs the Vector API (--add-modules jdk.incubator.vector)");
        float[][] ref = referenceLogits(model, test, 16);
        for (int threads : new int[]{1, 3}) {
            try (Workers w = new Workers(threads)) {
                DelaySnnInference inf = DelaySnnInference.of(model, w);
                for (int s = 0; s < test.size(); s++) {
                    assertArrayEquals(ref[s], inf.logits(test.sample(s)),
                            what + ": sample " + s + " one at a time on " + threads + " threads");
                }
                int[] idx = new int[test.size()], pred = new int[test.size()];
                for (int s = 0; s < idx.length; s++) {
                    idx[s] = idx.length - 1 - s;   // any order, any grouping
                }
                inf.predict(test, idx, pred);
                long[] events = inf.synapticEvents();
                for (int k = 1; k < events.length; k++) {
                    assertTrue(events[k] > 0, what + ": hidden layer " + k + " must fire for the check to mean much");
                }
                for (int k = 0; k < idx.length; k++) {
                    assertEquals(SumSoftmaxCrossEntropy.argmax(ref[idx[k]]), pred[k], what + ": sample " + idx[k]);
                }
            }
        }
    }

    @Test
    void trainedModelsLogitsAreTheEvaluationPassesBitForBit(@TempDir Path tmp) {
        DelaySnnConfig cfg = TestRuns.small("learned", 40, 25, 2, 25, 2, 2);
        new Trainer(cfg, TestRuns.sdMini(), tmp, null).train();
        DelaySnn model = RunStore.of(tmp).loadModel(DelaySnn.class);
        assertSameLogits(model, "trained, 40 hidden");
        // and Evaluation takes this path: the same predictions as batches through predict()
        Evaluation.Result fast = Evaluation.run(model, test, 7);
        Evaluation.Result batched = Evaluation.run(test, 7, model.evaluationPadding(), model::predict);
        assertArrayEquals(batched.predictions(), fast.predictions());
        assertEquals(batched.correct(), fast.correct());
    }

    @Test
    void untrainedModelsOfOtherShapesToo() {
        // wide enough to fire, fixed random delays and fewer taps; 48 hidden fills whole vectors, 21 does not
        for (int hidden : new int[]{48, 21}) {
            DelaySnnConfig cfg = TestRuns.small(hidden == 48 ? "random" : "learned", hidden, hidden == 48 ? 25 : 9, 1,
                    8, 5, 1);
            DelaySnn model = new DelaySnn(cfg, test.channels(), test.source().classes());
            assertSameLogits(model, "untrained, " + hidden + " hidden");
        }
    }

    @Test
    void inputCountsOverAByteAreSummedExactlyToo() {
        // 70 channels of 10 pooled, 40 ms frames: some samples have entries over 127 spikes, more than a byte row
        // holds, and take the input layer's float rows; the others take the byte rows, in the same workspaces
        BinnedSet coarse = new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5")),
                new FrameBinner(40, 10, 0));
        int over = 0;
        for (int s = 0; s < coarse.size(); s++) {
            float max = 0f;
            for (float c : coarse.sample(s).eventCount()) {
                max = Math.max(max, c);
            }
            over += max > 127 ? 1 : 0;
        }
        assertTrue(over > 0 && over < coarse.size(), "the check needs samples over 127 and samples within: " + over);
        DelaySnn model = new DelaySnn(TestRuns.small("learned", 24, 5, 1, 8, 3, 1), coarse.channels(),
                coarse.source().classes());
        assertSameLogits(model, coarse, over + " of " + coarse.size() + " samples with counts over 127");
    }

    @Test
    void modelsWithoutDelaysHaveNoSuchPath() {
        DelaySnn model = new DelaySnn(TestRuns.small("none", 16, 25, 1, 8, 5, 1), test.channels(),
                test.source().classes());
        assertTrue(!DelaySnnInference.available(model));
        assertNull(model.samplePredictor());
        DelaySnn delayed = new DelaySnn(TestRuns.small("learned", 16, 25, 1, 8, 5, 1), test.channels(),
                test.source().classes());
        assumeTrue(DelaySnnInference.available(delayed));
        assertNotNull(delayed.samplePredictor());
    }
}
