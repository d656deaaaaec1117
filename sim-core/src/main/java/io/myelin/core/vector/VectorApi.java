package io.myelin.core.vector;

import java.util.function.BooleanSupplier;

/**
 * Whether Myelin's kernels may use the JDK's incubating Vector API. It is there when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (as README's commands and the build's tests are); the system property
 * {@code myelin.vector=false} turns it off everywhere. Every kernel family has a scalar twin that gives the same bits,
 * so this decides speed, never results.
 */
public final class VectorApi {
    private VectorApi() {
    }

    /** Whether the module is in the boot layer and {@code myelin.vector} is not {@code false}. */
    public static boolean requested() {
        return !"false".equalsIgnoreCase(System.getProperty("myelin.vector", "true"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Whether a kernel family can run on the Vector API: {@link #requested()} and its {@code probe} (which touches
     * the family's vector class, e.g. to check the register width) says yes. A probe that fails to link counts as no.
     */
    public static boolean usable(BooleanSupplier probe) {
        if (!requested()) {
            return false;
        }
        try {
            return probe.getAsBoolean();
        } catch (LinkageError e) {
            return false;
        }
    }
}
