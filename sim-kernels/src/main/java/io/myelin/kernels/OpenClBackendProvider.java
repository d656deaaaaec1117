package io.myelin.kernels;

import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backend;
import io.myelin.core.backend.BackendOptions;
import io.myelin.core.backend.BackendProvider;

/**
 * Makes {@link OpenClBackend}s ("opencl"); registered for {@link java.util.ServiceLoader}. Available when Aparapi
 * finds at least one OpenCL device. {@link BackendOptions#device()} picks the device ("gpu", "cpu", or part of its
 * name); by default a GPU when there is one.
 *
 * <p>{@link #isGpu()} is true only when a GPU is present: {@code --backend auto} then prefers it. An OpenCL CPU device
 * (PoCL) is never chosen by {@code auto}: on the 2-core sandbox the Java backend beat PoCL at every CUBA size
 * measured (see BENCHMARKS.md, section "OpenCL backend"), because each step costs PoCL two kernel launches and a
 * read-back that the Java backend does not pay.
 */
public final class OpenClBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public boolean isAvailable() {
        return !OpenClDevices.all().isEmpty();
    }

    @Override
    public String unavailableReason() {
        return OpenClDevices.unavailableReason();
    }

    @Override
    public boolean isGpu() {
        return OpenClDevices.hasGpu();
    }

    /**
     * @throws InvalidInputException when no device matches the options, or {@link KernelBuildException} (an
     *                               {@code InvalidInputException}) when the kernels do not build on the device
     */
    @Override
    public Backend create(BackendOptions options) {
        return new OpenClBackend(OpenClDevices.select(options.device()));
    }
}
