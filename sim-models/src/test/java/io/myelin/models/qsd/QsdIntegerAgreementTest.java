package io.myelin.models.qsd;

import io.myelin.core.InvalidInputException;
import io.myelin.kernels.quant.JavaIntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exported integer model run on JavaIntegerOps agrees with the float-simulated model's evaluation, predictions
 * and logits bit for bit, on every sample of synth_test.h5, in any batch size; a float32 model cannot be exported.
 */
class QsdIntegerAgreementTest {
    @ParameterizedTest(name = "{0} bits, embedding delays {1}")
    @CsvSource({"4, false", "4, true", "1.58, false", "1.58, true"})
    void integerInferenceEqualsTheModelsEvaluationBitForBit(double bits, boolean delays) {
        Path run = QsdTestRuns.trained(bits, delays);
        QsdTransformer model = RunStore.of(run).loadModel(QsdTransformer.class);
        BinnedSet test = QsdTestRuns.synthTest(model.config());
        int n = test.size();
        assertEquals(100, n);
        QsdIntegerModel exported = QsdIntegerModel.export(model);
        assertEquals(model.config().model().levels(), exported.levels());
        assertEquals(delays, exported.embed().delays() != null);
        float[][] reference = new float[n][];
        for (int batch : new int[]{1, 7, 64}) {
            QsdIntegerInference inf = new QsdIntegerInference(exported, new JavaIntegerOps());
            int[] intPred = new int[n];
            for (int s = 0; s < n; s += batch) {
                int[] idx = new int[Math.min(batch, n - s)];
                for (int k = 0; k < idx.length; k++) {
                    idx[k] = s + k;
                }
                BinnedSet.Batch b = test.batch(idx, 0);
                float[][] logits = model.forward(b.x(), b.lengths(), false);
                int[] pred = inf.predict(b.x(), b.lengths());
                float[][] intLogits = inf.lastLogits();
                assertNotNull(intLogits);
                assertEquals(idx.length, intLogits.length);
                for (int k = 0; k < idx.length; k++) {
                    int i = s + k;
                    assertArrayEquals(logits[k], intLogits[k], "integer logits of sample " + i + ", batch " + batch);
                    assertEquals(SumSoftmaxCrossEntropy.argmax(logits[k]), pred[k], "prediction of sample " + i);
                    intPred[i] = pred[k];
                    if (reference[i] == null) {
                        reference[i] = logits[k];
                    } else {
                        assertArrayEquals(reference[i], logits[k], "eval logits of sample " + i + " in batch " + batch
                                + " vs alone");
                    }
                }
            }
            Evaluation.Result r = Evaluation.run(model, test, batch);
            assertArrayEquals(r.predictions(), intPred, "QsdEvaluation predictions, batch " + batch);
            assertEquals(n, inf.activity().samples);
            long blockAcs = 0;
            for (long[] a : inf.activity().blockAcs) {
                blockAcs += a[0] + a[1];
            }
            assertTrue(blockAcs > 0 && inf.activity().headAcs > 0 && inf.activity().embeddingMacs > 0,
                    "the integer run must do work for the agreement to mean something");
        }
        // the logits are not degenerate: samples and classes differ
        java.util.Set<Float> values = new java.util.HashSet<>();
        for (float[] l : reference) {
            for (float v : l) {
                values.add(v);
            }
        }
        assertTrue(values.size() > 50, "only " + values.size() + " distinct logit values");
    }

    /**
     * Other architectures (untrained, BatchNorm statistics from a few training passes): no block, two blocks, one and
     * four heads, D = 2, 8 and 16, 2 and 8 bits. The agreement is a property of the arithmetic, not of one shape.
     */
    @ParameterizedTest(name = "blocks {0}, heads {1}, D = {2}, {3} bits, delays {4}")
    @CsvSource({"0, 2, 4, 4, false", "2, 1, 2, 2, true", "1, 4, 8, 8, false", "1, 2, 16, 4, true"})
    void integerInferenceAgreesForOtherArchitectures(int blocks, int heads, int levels, double bits, boolean delays) {
        QsdConfig base = QsdTestRuns.tiny(bits, delays, 1, 13, 1);
        QsdConfig.Model m = base.model();
        QsdConfig cfg = new QsdConfig(base.name(), base.kind(), base.data(), new QsdConfig.Model(m.embedDim(), heads,
                blocks, m.mlpRatio(), bits, levels, m.attentionScale(), m.rectify(), delays, m.taps(),
                m.sigmaTruncation()), base.training(), base.distillation()).validate("test");
        BinnedSet test = QsdTestRuns.synthTest(cfg);
        QsdTransformer model = new QsdTransformer(cfg, test.channels(), test.source().classes());
        for (int s = 0; s < 60; s += 20) {
            int[] idx = new int[20];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s + k;
            }
            BinnedSet.Batch b = test.batch(idx, 0);
            model.forward(b.x(), b.lengths(), true);
        }
        QsdIntegerInference inf = new QsdIntegerInference(QsdIntegerModel.export(model), new JavaIntegerOps());
        int[] idx = new int[25];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = 3 * k;
        }
        BinnedSet.Batch b = test.batch(idx, 0);
        float[][] logits = model.forward(b.x(), b.lengths(), false);
        int[] pred = inf.predict(b.x(), b.lengths());
        java.util.Set<Float> values = new java.util.HashSet<>();
        for (int k = 0; k < idx.length; k++) {
            assertArrayEquals(logits[k], inf.lastLogits()[k], "logits of sample " + idx[k]);
            assertEquals(SumSoftmaxCrossEntropy.argmax(logits[k]), pred[k]);
            for (float v : logits[k]) {
                values.add(v);
            }
        }
        assertTrue(values.size() > 20, "degenerate logits: " + values.size() + " distinct values");
    }

    @Test
    void exportRejectsAFloatModelAndInferenceRejectsNonIntegerCounts() {
        QsdConfig cfg = QsdTestRuns.tiny(32, true, 1, 1, 1);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> QsdIntegerModel.export(new QsdTransformer(cfg, 140, 10)));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());

        QsdTransformer q = new QsdTransformer(QsdTestRuns.tiny(4, false, 1, 1, 1), 140, 10);
        QsdIntegerInference inf = new QsdIntegerInference(QsdIntegerModel.export(q), new JavaIntegerOps());
        float[] x = new float[2 * 140];
        x[3] = 0.5f;
        e = assertThrows(InvalidInputException.class,
                () -> inf.predict(new io.myelin.models.tensor.SeqTensor(2, 1, 140, x), new int[]{2}));
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> inf.predict(new io.myelin.models.tensor.SeqTensor(2, 1, 139, new float[2 * 139]), new int[]{2}));
        assertTrue(e.getMessage().contains("140"), e.getMessage());
    }
}
