package io.myelin.models.delay.inference;

import io.myelin.core.data.BinnedSample;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.tensor.Workers;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Evaluation-mode inference of a trained {@link DelaySnn}, one sample at a time and a layer at a time over time rows
 * (docs/inference.md): the same logits, bit for bit, as {@code DelaySnn.forward} in evaluation followed by
 * {@code sum_t softmax(V_t)} over the sample's valid steps, at a fraction of the work, because each sample runs for
 * its own length only, silent inputs cost nothing, and every synapse is one multiply-add per step it can reach.
 *
 * <p>Threads: a batch of samples is split over the workers by samples; a single sample ({@link #logits}) by output
 * neurons within each layer. Every value is computed by one thread in a fixed order, so results do not depend on the
 * thread count. Available when the JVM has the Vector API ({@link #available}), which is also when the training
 * code's evaluation sums in this order.
 */
public final class DelaySnnInference {
    private final RoundedDelayNetwork net;
    private final Workers workers;
    private final ConcurrentLinkedDeque<SampleRun> idle = new ConcurrentLinkedDeque<>();
    private final java.util.List<SampleRun> all = new java.util.concurrent.CopyOnWriteArrayList<>();

    private DelaySnnInference(RoundedDelayNetwork net, Workers workers) {
        this.net = net;
        this.workers = workers;
    }

    /** Whether {@code model} can run here: delayed synapses throughout, and the Vector API on. */
    public static boolean available(DelaySnn model) {
        return TimeRowKernels.available() && RoundedDelayNetwork.supports(model);
    }

    /** A snapshot of {@code model}'s current weights, run on {@code workers}; see {@link #available}. */
    public static DelaySnnInference of(DelaySnn model, Workers workers) {
        if (!TimeRowKernels.available()) {
            throw new IllegalStateException("inference over time rows needs the Vector API (--add-modules jdk.incubator.vector)");
        }
        return new DelaySnnInference(RoundedDelayNetwork.of(model), workers == null ? Workers.serial() : workers);
    }

    public RoundedDelayNetwork network() {
        return net;
    }

    /** The logits of one sample, its layers' outputs split over the workers. */
    public float[] logits(BinnedSample s) {
        SampleRun run = take();
        try {
            return run.logits(s, workers);
        } finally {
            idle.push(run);
        }
    }

    /**
     * Predicts samples {@code indices} of {@code data} into {@code out} ({@code out[k]} for {@code indices[k]}), the
     * samples split over the workers; with a single index, that sample's outputs are split instead.
     */
    public void predict(BinnedSet data, int[] indices, int[] out) {
        if (indices.length == 1) {
            out[0] = SumSoftmaxCrossEntropy.argmax(logits(data.sample(indices[0])));
            return;
        }
        // one sample at a time to whichever thread is free: samples differ in length, and any thread may be slowed
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        workers.forRangeEven(workers.threads(), (t0, t1) -> {
            SampleRun run = take();
            try {
                for (int k = next.getAndIncrement(); k < indices.length; k = next.getAndIncrement()) {
                    out[k] = SumSoftmaxCrossEntropy.argmax(run.logits(data.sample(indices[k]), null));
                }
            } finally {
                idle.push(run);
            }
        });
    }

    private SampleRun take() {
        SampleRun r = idle.poll();
        if (r == null) {
            r = new SampleRun(net);
            all.add(r);
        }
        return r;
    }

    /**
     * Synaptic events of everything run so far, per layer: non-zero input entries over each sample's valid steps
     * times the layer's outputs (for the first layer multiply-accumulates of spike counts, for the others
     * accumulates of binary spikes; as {@code myelin report} counts them).
     */
    public long[] synapticEvents() {
        long[] e = new long[net.layers().size()];
        for (SampleRun r : all) {
            for (int k = 0; k < e.length; k++) {
                e[k] += r.inputEntries[k] * net.layers().get(k).out();
            }
        }
        return e;
    }
}
