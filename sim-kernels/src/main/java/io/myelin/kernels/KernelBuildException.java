package io.myelin.kernels;

import io.myelin.core.InvalidInputException;

/**
 * The OpenCL compiler of a device rejected Myelin's kernels. The message names the device and carries the
 * compiler's build log; {@code --backend auto} catches it and falls back to the Java backend.
 */
public final class KernelBuildException extends InvalidInputException {
    private final String device;
    private final String buildLog;

    KernelBuildException(String device, String reason, String buildLog) {
        super("OpenCL kernels failed to build on " + device + ": " + reason
                + (buildLog.isBlank() ? "" : "\n--- OpenCL build log ---\n" + buildLog.strip() + "\n---"));
        this.device = device;
        this.buildLog = buildLog;
    }

    /** The device in words. */
    public String device() {
        return device;
    }

    /** The OpenCL compiler's build log (or why it could not be obtained). */
    public String buildLog() {
        return buildLog;
    }
}
