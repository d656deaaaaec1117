package io.myelin.core.inference;

/**
 * What a {@link StreamingClassifier} has decided so far.
 *
 * @param decided    whether the answer is final: the policy fired, or the input ended and the sample ran out
 * @param early      whether the policy fired (rather than the input running out; it may fire at the last step)
 * @param label      the predicted class (argmax of the running sum; 0 before any step)
 * @param confidence {@code max softmax(sum / temperature)} after the last step run
 * @param step       steps run so far (the exit step once decided)
 */
public record Decision(boolean decided, boolean early, int label, double confidence, int step) {
}
