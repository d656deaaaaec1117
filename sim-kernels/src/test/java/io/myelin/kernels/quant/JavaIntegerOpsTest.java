package io.myelin.kernels.quant;

/** The reference implementation against the hand-worked examples and argument checks; runs everywhere. */
class JavaIntegerOpsTest extends IntegerOpsContract {
    private final IntegerOps ops = new JavaIntegerOps();

    @Override
    IntegerOps ops() {
        return ops;
    }
}
