package io.myelin.models.layer;

import io.myelin.models.module.Param;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.VectorOps;
import io.myelin.models.tensor.Workers;

import java.util.List;

/**
 * A plain fully connected layer without bias, applied at every time step ({@code y[t] = W x[t]}): the no-delay
 * ablation of the SNN-delays network. Spike-driven like {@link DclsDelayedDense}: only non-zero inputs are scattered.
 * Weights {@code [out][in]}, Kaiming-uniform (bound {@code sqrt(6 / in)}).
 */
public final class Dense implements SynapticLayer {
    private final String name;
    private final int in;
    private final int out;
    private final Param weight;
    private Workers workers = Workers.serial();
    private boolean inputGradient = true;
    private SparseEvents events;
    private SeqTensor x;

    public Dense(String name, int in, int out, long seed) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": in and out must be >= 1");
        }
        this.name = name;
        this.in = in;
        this.out = out;
        this.weight = new Param(name + ".weight", Param.Kind.WEIGHT,
                WeightInit.kaimingUniform(out * in, in, WeightInit.rng(seed)));
    }

    public String name() {
        return name;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public Param weight() {
        return weight;
    }

    public void setWorkers(Workers w) {
        this.workers = w;
    }

    public void setInputGradient(boolean needed) {
        this.inputGradient = needed;
    }

    @Override
    public List<Param> ownParams() {
        return List.of(weight);
    }

    @Override
    public SeqTensor forward(SeqTensor input, boolean training) {
        if (input.features != in) {
            throw new IllegalArgumentException(name + ": expects " + in + " input features, got " + input.features);
        }
        x = input;
        events = SparseEvents.of(input);
        final float[] w = weight.value;
        final float[][] t = new float[in][out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i][o] = w[o * in + i];
            }
        }
        final int rows = input.rows();
        final float[][] y = new float[rows][out];
        final SparseEvents ev = events;
        final int B = input.batch;
        // threads own rows; events arrive in row order, so each row's sum runs in a fixed order
        workers.forRange(rows, (r0, r1) -> {
            int e = lowerBound(ev, B, r0);
            for (; e < ev.count; e++) {
                int row = ev.step[e] * B + ev.sample[e];
                if (row >= r1) {
                    break;
                }
                VectorOps.axpy(y[row], ev.value[e], t[ev.feature[e]], 0, out);
            }
        });
        return new SeqTensor(input.steps, B, out, VectorOps.flatten(y, out));
    }

    /** First event at or after row {@code row} (events are in row order). */
    private static int lowerBound(SparseEvents ev, int batch, int row) {
        int lo = 0, hi = ev.count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ev.step[mid] * batch + ev.sample[mid] < row) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        final int B = x.batch, O = out, I = in;
        final float[][] g = VectorOps.rows(gradOut.data, gradOut.rows(), O);
        final float[][] dwT = new float[I][O];
        final SparseEvents ev = events;
        // threads own inputs: each input's gradient row sums its events in row order
        workers.forRangeEven(I, (i0, i1) -> {
            for (int e = 0; e < ev.count; e++) {
                int i = ev.feature[e];
                if (i >= i0 && i < i1) {
                    VectorOps.axpy(dwT[i], ev.value[e], g[ev.step[e] * B + ev.sample[e]], 0, O);
                }
            }
        });
        float[] gw = weight.grad;
        for (int o = 0; o < O; o++) {
            for (int i = 0; i < I; i++) {
                gw[o * I + i] += dwT[i][o];
            }
        }
        if (!inputGradient) {
            return null;
        }
        final float[] w = weight.value;
        final float[][] wr = VectorOps.rows(w, O, I);
        final int rows = x.rows();
        final float[][] dx = new float[rows][I];
        workers.forRange(rows, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                float[] gr = g[r];
                for (int o = 0; o < O; o++) {
                    if (gr[o] != 0f) {
                        VectorOps.axpy(dx[r], gr[o], wr[o], 0, I);
                    }
                }
            }
        });
        return new SeqTensor(x.steps, B, I, VectorOps.flatten(dx, I));
    }
}
