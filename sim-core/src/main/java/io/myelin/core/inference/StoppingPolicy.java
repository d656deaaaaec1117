package io.myelin.core.inference;

/**
 * When an inference ends: the rule every inference path (a model's batched evaluation, the clock-driven and the
 * event-driven engine, a streaming classifier) asks after each step of each sample. A policy is immutable and holds
 * no per-sample state; {@link #start(int)} gives the {@link PolicyRun} that does.
 *
 * <p>Both policies decode the same way (docs/dynamic-confidence.md): the step outputs are summed
 * ({@link #decoding()}), {@code p_t = softmax(sum_t / temperature)}, the confidence is {@code c_t = max p_t} and the
 * prediction {@code argmax p_t}. {@link FullLength} never stops early; {@link DynamicConfidence} stops at the first step
 * with {@code c_t > threshold}. A path stops at the sample's last step in any case.
 */
public sealed interface StoppingPolicy permits FullLength, DynamicConfidence {

    /** What is summed per step. */
    Decoding decoding();

    /** Softmax temperature on the running sum (> 0). */
    double temperature();

    /** Whether a step whose confidence is {@code confidence} ends the sample's run. */
    boolean stops(double confidence);

    /** Short name for logs and JSON: "full-length" or "dynamic-confidence". */
    String name();

    /** A fresh run of one sample over {@code classes} classes. */
    default PolicyRun start(int classes) {
        return new PolicyRun(this, classes, false);
    }

    /** As {@link #start(int)}, keeping every step's confidence and prediction ({@link PolicyRun#confidences()}). */
    default PolicyRun startRecording(int classes) {
        return new PolicyRun(this, classes, true);
    }
}
