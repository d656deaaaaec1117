package io.myelin.core.inference;

/**
 * A classifier fed a live spike stream one frame at a time, which answers as soon as its {@link StoppingPolicy} fires
 * instead of waiting for the end of the input. After a final decision it does no more work: further frames return
 * the same decision.
 */
public interface StreamingClassifier {

    /** Model inputs per frame. */
    int inputs();

    /**
     * Runs one step on the next frame, {@code counts[c]} spikes on model input c ({@link #inputs()} values), and
     * returns the decision after it.
     */
    Decision push(float[] counts);

    /**
     * The input has ended: runs the steps that remain of the sample (a model whose delays extend the input runs them on
     * silence) until the policy fires or the last one, and returns the final decision.
     */
    Decision end();

    /** The decision so far. */
    Decision decision();

    /** Forgets the stream: back to step 0 for the next input. */
    void reset();
}
