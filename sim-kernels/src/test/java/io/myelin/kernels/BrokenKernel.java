package io.myelin.kernels;

import com.aparapi.Kernel;

/**
 * A kernel Aparapi translates but no OpenCL compiler accepts: its field {@code constant} becomes a kernel parameter
 * named after an OpenCL address-space keyword. Used to test the build-failure paths for real.
 */
final class BrokenKernel extends Kernel {
    float[] out = new float[4];
    int constant = 3;

    @Override
    public void run() {
        out[getGlobalId()] = constant;
    }
}
