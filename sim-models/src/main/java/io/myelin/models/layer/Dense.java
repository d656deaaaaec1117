package io.myelin.models.layer;

import cern.jet.random.engine.MersenneTwister;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.Workers;

import java.util.List;

/**
 * A plain fully connected layer without bias, applied at every time step ({@code y[t] = W x[t]}): the no-delay
 * ablation of the SNN-delays network. Spike-driven like {@link DclsDelayedDense}: only non-zero inputs are scattered.
 * Weights {@code [out][in]}, Kaiming-uniform (bound {@code sqrt(6 / in)}).
 */
public final class Dense implements Layer {
    private final String name;
    private final int in;
    private final int out;
    private final Param weight;
    private Workers workers = Workers.serial();
    private boolean inputGradient = true;
    private SparseEvents events;
    private SeqTensor x;
    private float[] wT;

    public Dense(String name, int in, int out, long seed) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": in and out must be >= 1");
        }
        this.name = name;
        this.in = in;
        this.out = out;
        float[] w = new float[out * in];
        MersenneTwister rng = new MersenneTwister((int) (seed ^ (seed >>> 32)));
        double bound = Math.sqrt(6.0 / in);
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) ((2 * rng.raw() - 1) * bound);
        }
        this.weight = new Param(name + ".weight", Param.Kind.WEIGHT, w);
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
    public List<Param> params() {
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
        final float[] t = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
        wT = t;
        final float[] y = new float[input.rows() * out];
        final SparseEvents ev = events;
        final int B = input.batch, O = out;
        workers.forRange(O, (o0, o1) -> {
            for (int e = 0; e < ev.count; e++) {
                int yb = (ev.step[e] * B + ev.sample[e]) * O, wb = ev.feature[e] * O;
                float v = ev.value[e];
                for (int o = o0; o < o1; o++) {
                    y[yb + o] += v * t[wb + o];
                }
            }
        });
        return new SeqTensor(input.steps, B, O, y);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        final int B = x.batch, O = out, I = in;
        final float[] g = gradOut.data;
        final float[] dwT = new float[I * O];
        final SparseEvents ev = events;
        workers.forRange(O, (o0, o1) -> {
            for (int e = 0; e < ev.count; e++) {
                int gb = (ev.step[e] * B + ev.sample[e]) * O, wb = ev.feature[e] * O;
                float v = ev.value[e];
                for (int o = o0; o < o1; o++) {
                    dwT[wb + o] += v * g[gb + o];
                }
            }
        });
        float[] gw = weight.grad;
        for (int o = 0; o < O; o++) {
            for (int i = 0; i < I; i++) {
                gw[o * I + i] += dwT[i * O + o];
            }
        }
        if (!inputGradient) {
            return null;
        }
        final float[] w = weight.value;
        final float[] dx = new float[x.rows() * I];
        workers.forRange(x.rows(), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xb = r * I, gb = r * O;
                for (int o = 0; o < O; o++) {
                    float go = g[gb + o];
                    if (go == 0f) {
                        continue;
                    }
                    int wb = o * I;
                    for (int i = 0; i < I; i++) {
                        dx[xb + i] += go * w[wb + i];
                    }
                }
            }
        });
        return new SeqTensor(x.steps, B, I, dx);
    }
}
