package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.kernels.quant.IntegerOps;
import io.myelin.kernels.quant.JavaIntegerOps;

/** The integer-inference backends {@code --integer} names. */
final class IntegerBackends {
    private IntegerBackends() {
    }

    static IntegerOps open(String name) {
        return switch (name) {
            case "java" -> new JavaIntegerOps();
            default -> throw new InvalidInputException("--integer must be java or opencl, got '" + name + "'");
        };
    }
}
