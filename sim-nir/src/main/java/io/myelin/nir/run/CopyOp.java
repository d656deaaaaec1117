package io.myelin.nir.run;

/** Output and Flatten: the input passes through unchanged (Flatten only changes the shape). */
final class CopyOp extends Op {
    CopyOp(String key, String type, int size) {
        super(key, type, size, size);
    }

    @Override
    void compute(Parallel par) {
        System.arraycopy(in, 0, out, 0, out.length);
    }
}
