package io.myelin.nir.run;

/** The graph's Input: its output is the step's external input, copied in by the runner. */
final class InputOp extends Op {
    InputOp(String key, int size) {
        super(key, "Input", 0, size);
    }

    @Override
    void compute(Parallel par) {
        // the runner fills out before the step
    }
}
