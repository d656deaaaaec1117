package io.myelin.models.delay;

import io.myelin.core.InvalidInputException;
import io.myelin.core.inference.Decision;
import io.myelin.core.inference.PolicyRun;
import io.myelin.core.inference.StoppingPolicy;
import io.myelin.core.inference.StreamingClassifier;

/**
 * A trained {@link DelaySnn} classifying a live spike stream: each pushed frame runs one step of the network
 * ({@link DelaySnnStepper}, the arithmetic of {@link DelaySnnEarlyExit}) and the readout's potentials go to the
 * policy, so the answer comes at the first confident step. Frames are spike counts per model input (pooled channels)
 * or the raw channel numbers of the frame's spikes ({@link #pushSpikes}), pooled as in training. A stream fed a
 * sample's frames and then {@link #end()} decides exactly as the evaluation does for that sample.
 *
 * <pre>{@code
 * DelaySnnStream stream = new DelaySnnStream(model, new DynamicConfidence(0.65, 2, Decoding.SOFTMAX_SUM));
 * for (int[] frame : frames) {                       // raw channel numbers of each 10 ms frame's spikes
 *     if (stream.pushSpikes(frame).decided()) break;
 * }
 * Decision d = stream.end();                         // (no more work if the policy already fired)
 * }</pre>
 */
public final class DelaySnnStream implements StreamingClassifier {
    private final DelaySnn model;
    private final StoppingPolicy policy;
    private final DelaySnnStepper stepper;
    private final int pool;
    private final int rawChannels;
    private final int[] channel;
    private final float[] count;
    private final float[] v;
    private DelaySnnStepper.Sample sample;
    private PolicyRun run;
    private int frames;
    private Decision decision;

    public DelaySnnStream(DelaySnn model, StoppingPolicy policy) {
        this.model = model;
        this.policy = policy;
        this.stepper = new DelaySnnStepper(model);
        this.pool = model.config().data().channelPool();
        this.rawChannels = model.inputs() * pool;
        this.channel = new int[model.inputs()];
        this.count = new float[model.inputs()];
        this.v = new float[model.classes()];
        reset();
    }

    @Override
    public int inputs() {
        return model.inputs();
    }

    @Override
    public void reset() {
        sample = stepper.newSample();
        run = policy.start(model.classes());
        frames = 0;
        decision = new Decision(false, false, 0, 0, 0);
    }

    @Override
    public Decision push(float[] counts) {
        if (counts.length != model.inputs()) {
            throw new InvalidInputException("a frame has " + model.inputs() + " inputs for this model, got "
                    + counts.length);
        }
        if (decision.decided()) {
            return decision;
        }
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] != 0f) {
                if (!(counts[c] > 0) || Float.isInfinite(counts[c])) {
                    throw new InvalidInputException("input " + c + " of the frame has count " + counts[c]
                            + "; counts are >= 0");
                }
                channel[n] = c;
                count[n++] = counts[c];
            }
        }
        frames++;
        return step(n);
    }

    /**
     * Runs one step on the next frame given as the raw channel numbers of its spikes (0 .. inputs x channelPool - 1;
     * a channel may repeat), pooled as the model was trained.
     */
    public Decision pushSpikes(int[] spikeChannels) {
        float[] counts = new float[model.inputs()];
        for (int ch : spikeChannels) {
            if (ch < 0 || ch >= rawChannels) {
                throw new InvalidInputException("spike channel " + ch + " is outside 0.." + (rawChannels - 1));
            }
            counts[ch / pool]++;
        }
        return push(counts);
    }

    @Override
    public Decision end() {
        int last = model.outputSteps(Math.max(1, frames));
        while (!decision.decided()) {
            step(0);
            if (!decision.decided() && run.steps() >= last) {
                decision = new Decision(true, false, run.prediction(), run.confidence(), run.steps());
            }
        }
        return decision;
    }

    private Decision step(int nonZero) {
        sample.step(channel, count, 0, nonZero, v, 0);
        boolean stop = run.offer(v, 0);
        decision = new Decision(stop, stop, run.prediction(), run.confidence(), run.steps());
        return decision;
    }

    @Override
    public Decision decision() {
        return decision;
    }
}
