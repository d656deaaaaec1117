package io.myelin.models.layer;

import io.myelin.models.tensor.NormLifOps;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hidden layer's {@code BatchNorm -> LIF -> dropout} trained in one pass over the sequence each way, where the three
 * layers' own passes read and write the whole {@code [T][B][N]} tensor five times forward (normalised input, BatchNorm
 * output, membrane, spikes, dropped spikes) and three times backward (dropout, LIF, then BatchNorm's two). Forward,
 * after BatchNorm's statistics ({@link BatchNormOverTime#trainingStatistics}), one pass reads the synapses' output and
 * writes only the membrane {@code H} and the dropped spikes; backward, one pass (in reverse time) applies the dropout
 * mask and the surrogate gradient, and BatchNorm's backward then runs in place on its result. Spikes are {@code H >=
 * threshold}, so they are not stored: {@link #spikes()} derives them when asked, and the forward pass counts them.
 *
 * <p>Every value is the float expression of the layers' own passes in the same order ({@link NormLifOps}), so the
 * outputs, the input gradient and the BatchNorm parameter gradients are bit-identical to running {@link
 * BatchNormOverTime}, {@link Lif} and {@link SequenceDropout} one after the other (docs/training-performance.md).
 * It owns nothing: parameters, running statistics and the dropout seed are the three layers'; it is no
 * {@link io.myelin.models.module.Module}, so a model's state is the same with or without it. Training only; in
 * evaluation the layers run on their own.
 */
public final class NormLifDropout {
    private final BatchNormOverTime norm;
    private final Lif lif;
    private final SequenceDropout dropout;
    private Workers workers = Workers.serial();
    /**
     * The membrane H of the last forward pass, {@code [T][B][N]} in its first {@link #membraneSize} entries: kept
     * from batch to batch while long enough (T follows each batch's longest sample), where a fresh array per batch
     * was zeroed by the JVM on the calling thread alone, then overwritten in full. Null until a forward pass ran.
     */
    private float[] membraneData;
    private int steps, batch, features;
    private float[] mask;
    private long spikeCount;
    private SeqTensor spikes;

    public NormLifDropout(BatchNormOverTime norm, Lif lif, SequenceDropout dropout) {
        this.norm = norm;
        this.lif = lif;
        this.dropout = dropout;
    }

    /** Threads take ranges of samples (each sample's neurons are independent). */
    public void setWorkers(Workers w) {
        this.workers = w;
    }

    /**
     * Training forward pass on the synapses' output {@code x}: BatchNorm with the batch statistics (running statistics
     * updated), LIF, dropout with a mask drawn from the dropout layer's seed; returns the dropped spikes.
     */
    public SeqTensor forward(SeqTensor x) {
        norm.trainingStatistics(x);
        int steps = x.steps, batch = x.batch, n = x.features;
        float[] mean = norm.batchMean(), invStd = norm.batchInvStd(), gamma = norm.gamma().value,
                beta = norm.beta().value;
        float[] mk = dropout.drawMask(batch, n);
        float tau = lif.tauSteps(), threshold = lif.vThreshold();
        if (membraneData == null || membraneData.length < x.data.length) {
            membraneData = new float[x.data.length];
        }
        float[] xd = x.data, hd = membraneData, out = new float[xd.length];
        AtomicLong count = new AtomicLong();
        workers.forRange(batch, (b0, b1) -> {
            float[] v = new float[(b1 - b0) * n];
            long found = 0;
            for (int t = 0; t < steps; t++) {
                for (int b = b0; b < b1; b++) {
                    found += NormLifOps.forwardRow(xd, hd, out, v, (b - b0) * n, mk, b * n, (t * batch + b) * n, n,
                            mean, invStd, gamma, beta, tau, threshold);
                }
            }
            count.addAndGet(found);   // whole numbers: the total does not depend on the order
        });
        mask = mk;
        spikeCount = count.get();
        this.steps = steps;
        this.batch = batch;
        this.features = n;
        spikes = null;
        return new SeqTensor(steps, batch, n, out);
    }

    /**
     * Backward pass of the last {@link #forward}: the gradient with respect to the dropped spikes in, the gradient
     * with respect to the synapses' output out; adds BatchNorm's parameter gradients.
     */
    public SeqTensor backward(SeqTensor gradOut) {
        return backward(gradOut, false);
    }

    /**
     * {@link #backward} writing the input gradient over {@code gradOut}'s own array (each element is read before it is
     * written) and returning a tensor on that array: for a caller that needs {@code gradOut} no more, one fresh
     * {@code [T][B][N]} array (zeroed by the JVM) less per batch. The same bits as {@link #backward}.
     */
    public SeqTensor backwardInPlace(SeqTensor gradOut) {
        return backward(gradOut, true);
    }

    private SeqTensor backward(SeqTensor gradOut, boolean inPlace) {
        if (membraneData == null) {
            throw new IllegalStateException("backward needs a training forward pass");
        }
        int steps = this.steps, batch = this.batch, n = this.features;
        if (gradOut.steps != steps || gradOut.batch != batch || gradOut.features != n) {
            throw new IllegalArgumentException("gradient shape " + gradOut + " does not match the output ["
                    + steps + "][" + batch + "][" + n + "]");
        }
        float[] g = gradOut.data, hd = membraneData, dh = inPlace ? g : new float[g.length], mk = mask;
        float keep = lif.leak(), threshold = lif.vThreshold();
        double peak = lif.surrogatePeak(), slope = lif.surrogateSlope();
        workers.forRange(batch, (b0, b1) -> {
            float[] dv = new float[(b1 - b0) * n];   // dL/dV[t] flowing back from step t+1
            for (int t = steps - 1; t >= 0; t--) {
                for (int b = b0; b < b1; b++) {
                    NormLifOps.backwardRow(g, mk, b * n, hd, dh, dv, (b - b0) * n, (t * batch + b) * n, n, threshold,
                            keep, peak, slope);
                }
            }
        });
        SeqTensor dy = inPlace ? gradOut : new SeqTensor(steps, batch, n, dh);
        norm.backwardInto(dy, dh);
        return dy;
    }

    /** The membrane values H of the last forward pass (before reset): a copy; null before any. */
    public SeqTensor membrane() {
        return membraneData != null ? new SeqTensor(steps, batch, features, Arrays.copyOf(membraneData, membraneSize())) : null;
    }

    /** Neuron-steps of the last forward pass, {@code T * B * N}. */
    public int membraneSize() {
        return steps * batch * features;
    }

    /** Spikes of the last forward pass before dropout, {@code H >= threshold} (computed on the first call). */
    public SeqTensor spikes() {
        if (spikes == null && membraneData != null) {
            float[] hd = membraneData, s = new float[membraneSize()];
            float threshold = lif.vThreshold();
            workers.forRange(s.length, (k0, k1) -> {
                for (int k = k0; k < k1; k++) {
                    s[k] = hd[k] >= threshold ? 1f : 0f;
                }
            });
            spikes = new SeqTensor(steps, batch, features, s);
        }
        return spikes;
    }

    /** Spikes of the last forward pass (before dropout). */
    public long spikeCount() {
        return spikeCount;
    }
}
