package io.myelin.kernels;

import com.aparapi.device.OpenCLDevice;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenCL device tests run on ({@code -Dmyelin.test.opencl.device=...} picks one, default: the first, a GPU when
 * present). Tests call {@link #require()} first: without any OpenCL platform they are skipped with the reason shown,
 * never passed.
 */
final class OpenClTestDevice {
    private OpenClTestDevice() {
    }

    static OpenCLDevice require() {
        String reason = OpenClDevices.unavailableReason();
        assumeTrue(reason == null, () -> "OpenCL tests skipped: " + reason);
        return OpenClDevices.select(System.getProperty("myelin.test.opencl.device"));
    }

    static OpenClBackend backend() {
        return new OpenClBackend(require());
    }
}
