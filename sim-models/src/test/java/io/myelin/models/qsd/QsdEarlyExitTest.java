package io.myelin.models.qsd;

import io.myelin.core.InvalidInputException;
import io.myelin.core.inference.ConfidenceTable;
import io.myelin.core.inference.Decoding;
import io.myelin.core.inference.DynamicConfidence;
import io.myelin.core.inference.FullLength;
import io.myelin.kernels.quant.JavaIntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QSD-Transformer under Dynamic Confidence: a prefix of t tokens is the model evaluated on a sample ending there,
 * the full-length prefix is the model's evaluation, the integer path exits at the same tokens with the same
 * predictions, and the work of recomputing prefixes is counted.
 */
class QsdEarlyExitTest {
    @Test
    void prefixesAreTheModelOnTruncatedSamplesAndTheIntegerPathAgrees() {
        QsdTransformer model = RunStore.of(QsdTestRuns.trained(4, true)).loadModel(QsdTransformer.class);
        BinnedSet test = QsdTestRuns.synthTest(model.config());
        int n = test.size();
        FullLength full = new FullLength(Decoding.SUM, 30);
        QsdEarlyExit.Result f = QsdEarlyExit.model(model, test, full, true);
        // at full length the prefix is the whole sample: the model's own evaluation, prediction and summed logits
        Evaluation.Result r = Evaluation.run(model, test, 16);
        ConfidenceTable t = f.table();
        for (int i = 0; i < n; i++) {
            assertEquals(f.lengths()[i], t.length(i));
            assertEquals(r.predictions()[i], t.prediction(i, t.length(i)), "sample " + i);
        }
        // a prefix of t tokens is the sample cut after t frames, evaluated with t tokens (here checked on sample 0)
        int sample = 0, cut = 5;
        BinnedSet.Batch b = test.batch(new int[]{sample}, 0);
        float[] x = Arrays.copyOf(b.x().data, cut * test.channels());
        float[][] logits = model.forward(new io.myelin.models.tensor.SeqTensor(cut, 1, test.channels(), x),
                new int[]{cut - model.tokens(0)}, false);
        assertEquals(SumSoftmaxCrossEntropy.argmax(logits[0]), t.prediction(sample, cut));

        double[] peak = new double[n];
        for (int i = 0; i < n; i++) {
            for (int s = 1; s < t.length(i); s++) {
                peak[i] = Math.max(peak[i], t.confidence(i, s));
            }
        }
        double[] sorted = peak.clone();
        Arrays.sort(sorted);
        DynamicConfidence dc = new DynamicConfidence((sorted[n / 2 - 1] + sorted[n / 2]) / 2, 30, Decoding.SUM);
        QsdEarlyExit.Result m = QsdEarlyExit.model(model, test, dc, false);
        QsdEarlyExit.Result in = QsdEarlyExit.integer(model, test, dc, false, new JavaIntegerOps());
        assertArrayEquals(m.exitSteps(), in.exitSteps(), "integer path: same exit tokens");
        assertArrayEquals(m.predictions(), in.predictions(), "integer path: same predictions");
        int early = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(t.exitStep(i, dc.threshold()), m.exitSteps()[i], "the online run is the offline sweep");
            early += m.exitSteps()[i] < m.lengths()[i] ? 1 : 0;
        }
        assertTrue(early > 0 && early < n, "some samples stop early, some run out: " + early);
        // recomputing every prefix up to the exit costs more than the exit prefix alone; the full length costs more
        // than the exit prefixes
        assertTrue(in.streaming().projectionAcs() > in.exitPrefix().projectionAcs());
        assertTrue(in.full().projectionAcs() >= in.exitPrefix().projectionAcs());
        assertTrue(in.full().embeddingMacs() > in.exitPrefix().embeddingMacs());
    }

    @Test
    void onlySummedLogitsDecodeATransformerAndAFloatModelHasNoIntegerPath() {
        QsdTransformer model = RunStore.of(QsdTestRuns.trained(4, true)).loadModel(QsdTransformer.class);
        BinnedSet test = QsdTestRuns.synthTest(model.config());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> QsdEarlyExit.model(model, test, new FullLength(Decoding.SOFTMAX_SUM, 2), false));
        assertTrue(e.getMessage().contains("softmax-sum applies to the delay SNN"), e.getMessage());
        QsdTransformer teacher = new QsdTransformer(QsdTestRuns.tiny(4, true, 1, 3, 1).withWeightBits(32), test.channels(),
                test.source().classes());
        assertThrows(InvalidInputException.class, () -> QsdEarlyExit.integer(teacher, test,
                new FullLength(Decoding.SUM, 30), false, new JavaIntegerOps()));
    }
}
