package io.myelin.examples.cli;

import io.myelin.core.backend.Backend;
import io.myelin.core.backend.BackendOptions;
import io.myelin.core.backend.Backends;
import picocli.CommandLine.Option;

/** {@code --backend}, {@code --threads}, {@code --device}: what the clock-driven engine computes on. */
final class BackendChoice {
    @Option(names = "--backend", defaultValue = "java",
            description = "clock-driven engine's backend: auto, java or opencl (default ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--threads", defaultValue = "1",
            description = "CPU threads; results do not depend on it (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--device", description = "OpenCL device: gpu, cpu, or part of its name (default: a GPU if any)")
    String device;

    /** The Java backend on one thread, for runs that compare engines rather than backends. */
    static BackendChoice java() {
        BackendChoice c = new BackendChoice();
        c.backend = "java";
        c.threads = 1;
        return c;
    }

    /** The options of the backend ({@link BackendOptions} checks the thread count). */
    BackendOptions options() {
        return new BackendOptions(threads, device);
    }

    /** The chosen backend; an unknown name is an error listing the choices. */
    Backend select() {
        return Backends.select(backend, options());
    }
}
