package io.myelin.models.delay;

import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Learner;
import io.myelin.models.train.Phase;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training with each hidden layer's BatchNorm, LIF and dropout fused into one pass against the three passes (the
 * reference path): the same readout trace, spikes, firing counts and parameter gradients bit for bit, and after
 * several optimizer steps the same state, at 1 and 3 threads (the loss split over samples and the optimizer over the
 * first layer's weights, 140 x 67 elements, as well).
 */
class DelaySnnFusedHiddenTest {
    @Test
    void fusedAndThreePassTrainingAreBitIdentical() {
        DelaySnnConfig cfg = TestRuns.small("learned", 67, 9, 2, 12, 3, 1);
        BinnedSet set = new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_train.h5")),
                cfg.data().binner());
        DelayRecipe recipe = new DelayRecipe();
        for (int threads : new int[]{1, 3}) {
            DelaySnn fused = recipe.build(cfg, set.channels(), set.source().classes());
            Learner fusedLearner = recipe.learner(cfg, fused, Phase.only(cfg), null);
            DelaySnn three = recipe.build(cfg, set.channels(), set.source().classes());
            three.setFusedHidden(false);
            Learner threeLearner = recipe.learner(cfg, three, Phase.only(cfg), null);
            try (Workers w = new Workers(threads)) {
                fused.setWorkers(w);
                fusedLearner.setWorkers(w);
                for (int step = 0; step < 3; step++) {
                    int[] idx = new int[12];
                    for (int k = 0; k < idx.length; k++) {
                        idx[k] = (step * 12 + k) % set.size();
                    }
                    BinnedSet.Batch b = set.batch(idx, 0);
                    long seed = 1000 + step;
                    compareOneGradient(fused, three, b, seed, w);
                    fusedLearner.step(b, seed, null);
                    threeLearner.step(b, seed, null);
                    assertStateEquals(three.state(), fused.state(), threads + " threads, after step " + step);
                }
            }
        }
    }

    /** One forward and backward pass of each model from zero gradients: outputs, spikes, gradients. */
    private static void compareOneGradient(DelaySnn fused, DelaySnn three, BinnedSet.Batch b, long seed,
                                           Workers w) {
        for (DelaySnn m : List.of(fused, three)) {
            for (Param p : m.params()) {
                p.zeroGrad();
            }
        }
        SeqTensor vf = fused.forward(b.x(), b.lengths(), true, seed);
        SeqTensor v3 = three.forward(b.x(), b.lengths(), true, seed);
        assertArrayEquals(v3.data, vf.data, "readout trace");
        double[] sf = new double[2], slf = new double[2], s3 = new double[2], sl3 = new double[2];
        fused.addFiring(sf, slf);
        three.addFiring(s3, sl3);
        assertArrayEquals(s3, sf, "spike counts");
        assertArrayEquals(sl3, slf, "slots");
        assertTrue(s3[0] > 0 && s3[1] > 0, "both hidden layers fire");
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(three.hiddenSpikes(k).data, fused.hiddenSpikes(k).data, "spikes of layer " + k);
        }
        SumSoftmaxCrossEntropy.Result rf = SumSoftmaxCrossEntropy.evaluate(vf, fused.validSteps(), b.labels(), w);
        SumSoftmaxCrossEntropy.Result r3 = SumSoftmaxCrossEntropy.evaluate(v3, three.validSteps(), b.labels());
        assertEquals(r3.loss(), rf.loss(), 0.0, "loss");
        assertArrayEquals(r3.gradV().data, rf.gradV().data, "loss gradient");
        for (int k = 0; k < b.labels().length; k++) {
            assertArrayEquals(r3.logits()[k], rf.logits()[k], "logits of sample " + k);
        }
        fused.backward(rf.gradV());
        three.backward(r3.gradV());
        List<Param> pf = fused.params(), p3 = three.params();
        assertEquals(p3.size(), pf.size());
        boolean anyGradient = false;
        for (int k = 0; k < pf.size(); k++) {
            assertArrayEquals(p3.get(k).grad, pf.get(k).grad, "gradient of " + p3.get(k).name);
            for (float g : pf.get(k).grad) {
                anyGradient |= g != 0;
            }
        }
        assertTrue(anyGradient);
    }

    private static void assertStateEquals(Map<String, float[]> expected, Map<String, float[]> actual, String when) {
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), e.getKey() + ", " + when);
        }
    }
}
