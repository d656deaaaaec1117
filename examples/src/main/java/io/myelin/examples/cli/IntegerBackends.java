package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.kernels.quant.AparapiIntegerOps;
import io.myelin.kernels.quant.IntegerOps;
import io.myelin.kernels.quant.JavaIntegerOps;

/** The integer-inference backends {@code --integer} names. */
final class IntegerBackends {
    private IntegerBackends() {
    }

    /** Checks the name before any work; an unknown one is an error listing the choices. */
    static String checkName(String name) {
        if (name.equals("java") || name.equals("opencl") || (name.startsWith("opencl:") && name.length() > 7)) {
            return name;
        }
        throw new InvalidInputException("--integer must be java, opencl or opencl:DEVICE (gpu, cpu or a name), got '"
                + name + "'");
    }

    /** {@code java}, {@code opencl} (first OpenCL device, a GPU when present) or {@code opencl:SELECTOR}. */
    static IntegerOps open(String name) {
        if (name.equals("java")) {
            return new JavaIntegerOps();
        }
        if (name.equals("opencl") || name.startsWith("opencl:")) {
            return AparapiIntegerOps.select(name.equals("opencl") ? null : name.substring("opencl:".length()));
        }
        throw new InvalidInputException("--integer must be java, opencl or opencl:DEVICE (gpu, cpu or a name), got '"
                + name + "'");
    }
}
