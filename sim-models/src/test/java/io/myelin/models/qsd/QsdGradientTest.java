package io.myelin.models.qsd;

import io.myelin.models.attention.SpikeDrivenSelfAttention;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.layer.Dense;
import io.myelin.models.layer.IeLif;
import io.myelin.models.loss.MaskedMeanSquaredError;
import io.myelin.models.loss.SoftmaxCrossEntropy;
import io.myelin.models.module.Param;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.quant.QuantizedProjection;
import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import static io.myelin.testing.FiniteDifferences.assertClose;
import static io.myelin.testing.FiniteDifferences.dot;
import static io.myelin.testing.FiniteDifferences.doubles;
import static io.myelin.testing.FiniteDifferences.floats;
import static io.myelin.testing.FiniteDifferences.gradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients of the QSD-Transformer's pieces against central finite differences of double-precision formulas written
 * here (loss, distillation, float projection, the model's head), and the block's shortcut routing against its
 * attention and MLP backward passes called by hand in chain-rule order.
 */
class QsdGradientTest {
    static double[] gaussian(int n, long seed, double mean, double sd) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            d[k] = (float) (mean + sd * r.nextGaussian());
        }
        return d;
    }

    // ---------------------------------------------------------------- softmax cross-entropy

    /** mean_b -log softmax(z_b)[y_b], log-sum-exp in double. */
    static double crossEntropy(double[] z, int[] labels, int classes) {
        double loss = 0;
        for (int b = 0; b < labels.length; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[b * classes + c]);
            }
            double s = 0;
            for (int c = 0; c < classes; c++) {
                s += Math.exp(z[b * classes + c] - max);
            }
            loss += max + Math.log(s) - z[b * classes + labels[b]];
        }
        return loss / labels.length;
    }

    @Test
    void softmaxCrossEntropyLossAndGradient() {
        int B = 3, C = 5;
        int[] labels = {2, 0, 4};
        double[] z = gaussian(B * C, 3, 0, 2);
        z[7] = 40;   // a confident wrong logit in sample 1
        float[][] logits = new float[B][C];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                logits[b][c] = (float) z[b * C + c];
            }
        }
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(logits, labels);
        assertEquals(crossEntropy(z, labels, C), r.loss(), 1e-12 * Math.max(1, r.loss()));
        double[] g = gradient(v -> crossEntropy(v, labels, C), z);
        for (int b = 0; b < B; b++) {
            assertClose(java.util.Arrays.copyOfRange(g, b * C, (b + 1) * C), r.gradLogits()[b], 1e-6, "dz sample " + b);
        }
        // huge logits stay finite: loss = 1000 - 0 for a single wrong confident sample
        SoftmaxCrossEntropy.Result big = SoftmaxCrossEntropy.evaluate(new float[][]{{1000f, 0f}}, new int[]{1});
        assertEquals(1000, big.loss(), 1e-9);
        assertArrayEquals(new float[]{1f, -1f}, big.gradLogits()[0]);
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.evaluate(logits, new int[]{0, 5, 1}));
    }

    // ---------------------------------------------------------------- distillation

    @Test
    void distillationLossAndGradientOverValidTokens() {
        int T = 4, B = 3, C = 5;
        int[] valid = {4, 0, 2};
        double weight = 0.7;
        double[] a = gaussian(T * B * C, 5, 0.5, 0.3), b = gaussian(T * B * C, 6, 0.5, 0.3);
        // the reference: weight * mean over valid (t, b) and channels of (a - b)^2
        ToDoubleFunction<double[]> loss = x -> {
            double s = 0;
            long n = 0;
            for (int bb = 0; bb < B; bb++) {
                for (int t = 0; t < valid[bb]; t++) {
                    for (int c = 0; c < C; c++) {
                        int i = (t * B + bb) * C + c;
                        s += (x[i] - b[i]) * (x[i] - b[i]);
                        n++;
                    }
                }
            }
            return weight * s / n;
        };
        MaskedMeanSquaredError.Result r = MaskedMeanSquaredError.evaluate(new SeqTensor(T, B, C, floats(a)),
                new SeqTensor(T, B, C, floats(b)), valid, weight);
        assertEquals(loss.applyAsDouble(a), r.loss(), 1e-6 * r.loss());
        assertClose(gradient(loss, a), r.gradient().data, 1e-5, "d distill / d student");
        // no valid tokens: no loss, no gradient
        MaskedMeanSquaredError.Result none = MaskedMeanSquaredError.evaluate(new SeqTensor(T, B, C, floats(a)),
                new SeqTensor(T, B, C, floats(b)), new int[B], weight);
        assertArrayEquals(new float[T * B * C], none.gradient().data);
        assertEquals(0, none.loss(), "no loss without valid tokens");
    }

    // ---------------------------------------------------------------- float projection: Dense -> BatchNorm

    static final int PT = 4, PB = 3, PI = 5, PO = 3;

    /** BN(W x) with batch statistics over all (t, b), biased variance, eps 1e-5. */
    static double[] projection(double[] x, double[] w, double[] gamma, double[] beta) {
        int rows = PT * PB;
        double[] y = new double[rows * PO];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < PO; o++) {
                double s = 0;
                for (int i = 0; i < PI; i++) {
                    s += w[o * PI + i] * x[r * PI + i];
                }
                y[r * PO + o] = s;
            }
        }
        for (int o = 0; o < PO; o++) {
            double mean = 0, var = 0;
            for (int r = 0; r < rows; r++) {
                mean += y[r * PO + o];
            }
            mean /= rows;
            for (int r = 0; r < rows; r++) {
                var += Math.pow(y[r * PO + o] - mean, 2);
            }
            var /= rows;
            for (int r = 0; r < rows; r++) {
                y[r * PO + o] = gamma[o] * (y[r * PO + o] - mean) / Math.sqrt(var + 1e-5) + beta[o];
            }
        }
        return y;
    }

    @ParameterizedTest(name = "rectified for D = {0}")
    @ValueSource(ints = {0, 4})
    void floatProjectionInputAndParameterGradients(int rectify) {
        QuantizedProjection p = new QuantizedProjection("p", PI, PO, null, rectify, 9);
        assertFalse(p.quantized());
        Dense dense = (Dense) p.linear();
        double[] x = gaussian(PT * PB * PI, 10, 0.3, 1), r = gaussian(PT * PB * PO, 11, 0, 1);
        for (int k = 0; k < x.length; k += 3) {
            x[k] = 0;   // the spike-driven product skips zeros: they must still get their gradient
        }
        double[] w = doubles(dense.weight().value), gamma = doubles(p.norm().gamma().value), beta = doubles(p.norm().beta().value);
        if (rectify > 0) {
            assertEquals(IeLif.rectifyingAffine(rectify)[1], beta[0], 1e-7);
        }
        SeqTensor y = p.forward(new SeqTensor(PT, PB, PI, floats(x)), true);
        assertClose(projection(x, w, gamma, beta), y.data, 1e-5, "y");
        SeqTensor dx = p.backward(new SeqTensor(PT, PB, PO, floats(r)));
        assertClose(gradient(v -> dot(projection(v, w, gamma, beta), r), x), dx.data, 1e-3, "dx");
        assertClose(gradient(v -> dot(projection(x, v, gamma, beta), r), w), dense.weight().grad, 1e-3, "dW");
        assertClose(gradient(v -> dot(projection(x, w, v, beta), r), gamma), p.norm().gamma().grad, 1e-3, "dgamma");
        assertClose(gradient(v -> dot(projection(x, w, gamma, v), r), beta), p.norm().beta().grad, 1e-3, "dbeta");
        assertEquals(List.of(dense.weight(), p.norm().gamma(), p.norm().beta()), p.params());
    }

    // ---------------------------------------------------------------- the model's head (float weights)

    /**
     * With float weights the logits are linear in the head weights (no neuron after the head), so the model's own
     * loss can be differenced: checks the temporal mean 1/L_b and the head's backward inside QsdTransformer.
     */
    @Test
    void floatModelHeadGradientMatchesFiniteDifferencesOfTheModelLoss() {
        QsdConfig cfg = QsdTestRuns.tiny(32, false, 1, 4, 1);
        BinnedSet test = QsdTestRuns.synthTest(cfg);
        QsdTransformer model = new QsdTransformer(cfg, test.channels(), test.source().classes());
        BinnedSet.Batch b = test.batch(new int[]{0, 11, 23, 35, 47, 59}, 0);
        float[][] logits = model.forward(b.x(), b.lengths(), true);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(logits, b.labels());
        model.backward(r.gradLogits());
        Param w = ((Dense) model.head()).weight();
        float[] grad = w.grad.clone();
        double h = 1e-2;
        int nonZero = 0;
        for (int k = 0; k < w.value.length; k++) {
            float keep = w.value[k];
            w.value[k] = (float) (keep + h);
            double lp = SoftmaxCrossEntropy.evaluate(model.forward(b.x(), b.lengths(), true), b.labels()).loss();
            w.value[k] = (float) (keep - h);
            double lm = SoftmaxCrossEntropy.evaluate(model.forward(b.x(), b.lengths(), true), b.labels()).loss();
            w.value[k] = keep;
            double step = ((double) (float) (keep + h) - (double) (float) (keep - h));
            double g = (lp - lm) / step;
            assertEquals(g, grad[k], 2e-3 * Math.max(1e-2, Math.abs(g)) + 1e-5, "dL/dW_head " + k);
            nonZero += Math.abs(g) > 1e-4 ? 1 : 0;
        }
        assertTrue(nonZero > w.value.length / 4, "the head needs non-trivial gradients, got " + nonZero);
    }

    // ---------------------------------------------------------------- block shortcut routing

    static final int BT = 6, BB = 2, BC = 8;
    static final int[] BVALID = {6, 4};

    static SpikingTransformerBlock block() {
        SpikeDrivenSelfAttention a = new SpikeDrivenSelfAttention("blk.attn", BC, 2, BitWidth.B4, 4, 0.125, true, 3);
        a.setValid(BVALID);
        return new SpikingTransformerBlock(a, new SpikingMlp("blk.mlp", BC, 2 * BC, BitWidth.B4, 4, 3));
    }

    static SeqTensor membrane() {
        return new SeqTensor(BT, BB, BC, floats(gaussian(BT * BB * BC, 21, 0.5, 0.4)));
    }

    static float[] plus(float[] a, float[] b) {
        float[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }

    /**
     * u' = u + attn(u), u'' = u' + mlp(u'), so du''/du^T g = g1 + attn'^T g1 with g1 = g + mlp'^T g: the block's
     * backward must equal the two sub-layers' backward passes applied in that order (on an identical twin block).
     */
    @Test
    void blockRoutesTheShortcutGradientsInChainRuleOrder() {
        SpikingTransformerBlock a = block(), byHand = block(), wrong = block();
        SeqTensor u = membrane();
        SeqTensor g = new SeqTensor(BT, BB, BC, floats(gaussian(BT * BB * BC, 22, 0, 1)));

        SeqTensor out = a.forward(u, true);
        float[] u1 = plus(u.data, byHand.attention().forward(u, true).data);
        float[] u2 = plus(u1, byHand.mlp().forward(new SeqTensor(BT, BB, BC, u1), true).data);
        assertArrayEquals(u2, out.data, "u'' = u + attn(u) + mlp(u + attn(u))");
        assertArrayEquals(u.data, membrane().data, "the block must not modify its input");

        SeqTensor ga = a.backward(g);
        SeqTensor gm = byHand.mlp().backward(g);
        float[] g1 = plus(g.data, gm.data);
        float[] g0 = plus(g1, byHand.attention().backward(new SeqTensor(BT, BB, BC, g1)).data);
        assertArrayEquals(g0, ga.data, "block backward = g1 + attn^T g1, g1 = g + mlp^T g");
        List<Param> pa = a.params(), ph = byHand.params();
        assertEquals(pa.size(), ph.size());
        for (int k = 0; k < pa.size(); k++) {
            assertArrayEquals(ph.get(k).grad, pa.get(k).grad, "parameter gradient " + pa.get(k).name);
        }

        // the test can tell routings apart: the MLP passes a non-zero gradient, and feeding g (not g1) to the
        // attention gives another answer
        boolean mlpPasses = false;
        for (float v : gm.data) {
            mlpPasses |= v != 0;
        }
        assertTrue(mlpPasses, "the MLP must pass gradient for this test to discriminate");
        wrong.forward(u, true);
        float[] w = plus(plus(g.data, wrong.mlp().backward(g).data), wrong.attention().backward(g).data);
        assertFalse(java.util.Arrays.equals(w, ga.data), "a wrong routing must give a different gradient");
    }

    /**
     * Distillation gradients on the Q, K, V spikes join the attention's backward at the Q, K, V neurons: by linearity,
     * backward(g) with them equals backward(g) without them plus their path through each neuron and projection.
     */
    @Test
    void representationGradientsEnterAtTheQkvNeuronsAndAreClearedByTheNextForward() {
        SpikingTransformerBlock withExtra = block(), plain = block(), path = block();
        SeqTensor u = membrane();
        SeqTensor g = new SeqTensor(BT, BB, BC, floats(gaussian(BT * BB * BC, 23, 0, 1)));
        SeqTensor[] extra = new SeqTensor[3];
        for (int j = 0; j < 3; j++) {
            extra[j] = new SeqTensor(BT, BB, BC, floats(gaussian(BT * BB * BC, 30 + j, 0, 1)));
        }
        SpikeDrivenSelfAttention a = withExtra.attention();
        a.forward(u, true);
        a.addRepresentationGradients(extra[0], extra[1], extra[2]);
        float[] got = a.backward(g).data;

        plain.attention().forward(u, true);
        float[] base = plain.attention().backward(g).data;

        SpikeDrivenSelfAttention p = path.attention();
        p.forward(u, true);
        List<IeLif> n = p.neurons();
        List<QuantizedProjection> proj = p.projections();
        float[] gs = new float[BT * BB * BC];
        for (int j = 0; j < 3; j++) {
            gs = plus(gs, proj.get(j).backward(n.get(j + 1).backward(extra[j])).data);
        }
        float[] viaNeurons = n.get(0).backward(new SeqTensor(BT, BB, BC, gs)).data;
        double norm = 0;
        for (int i = 0; i < got.length; i++) {
            double e = (double) base[i] + viaNeurons[i];
            assertEquals(e, got[i], 1e-5 * Math.max(1, Math.abs(e)), "input gradient " + i);
            norm += Math.abs(viaNeurons[i]);
        }
        assertTrue(norm > 1e-3, "the distillation path must carry gradient for this test to discriminate");

        // a new forward pass forgets them
        a.forward(u, true);
        assertArrayEquals(base, a.backward(g).data, "representation gradients are for one backward pass only");
    }
}
