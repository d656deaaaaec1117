package io.myelin.core.backend;

/**
 * A way to make a {@link Backend}, discovered with {@link java.util.ServiceLoader} so that sim-core never depends on
 * device libraries: a module registers its provider in {@code META-INF/services/io.myelin.core.backend.BackendProvider}.
 */
public interface BackendProvider {
    /** The name users select it by ("java", "opencl"). */
    String name();

    /** Whether it can run here (e.g. an OpenCL platform exists); if not, {@link #unavailableReason()} says why. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, in words; null when available. */
    String unavailableReason();

    /** Whether the backend runs on a GPU (preferred by "auto"). */
    boolean isGpu();

    /** A new backend; {@code options} carries e.g. the thread count. */
    Backend create(BackendOptions options);
}
