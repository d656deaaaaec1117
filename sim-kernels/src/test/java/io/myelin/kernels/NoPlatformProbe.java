package io.myelin.kernels;

import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backend;
import io.myelin.core.backend.Backends;

/** Child-JVM check run with no OpenCL platform visible: prints what "opencl" and "auto" do. */
final class NoPlatformProbe {
    private NoPlatformProbe() {
    }

    public static void main(String[] args) {
        try (Backend b = Backends.select("opencl")) {
            System.out.println("UNEXPECTED opencl backend: " + b.device());
        } catch (InvalidInputException e) {
            System.out.println("INVALID_INPUT " + e.getMessage());
        }
        try (Backend b = Backends.select("auto")) {
            System.out.println("AUTO " + b.name());
        }
    }
}
