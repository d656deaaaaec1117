package io.myelin.kernels.quant;

import com.aparapi.device.OpenCLDevice;
import io.myelin.kernels.OpenClDevices;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenCL device this package's tests run on, as {@code io.myelin.kernels.OpenClTestDevice} picks it
 * ({@code -Dmyelin.test.opencl.device=...}, default: the first, a GPU when present). Tests call {@link #require()}
 * first: without any OpenCL platform they are skipped with the reason shown, never passed.
 */
final class QuantTestDevice {
    private QuantTestDevice() {
    }

    static OpenCLDevice require() {
        String reason = OpenClDevices.unavailableReason();
        assumeTrue(reason == null, () -> "OpenCL tests skipped: " + reason);
        return OpenClDevices.select(System.getProperty("myelin.test.opencl.device"));
    }
}
