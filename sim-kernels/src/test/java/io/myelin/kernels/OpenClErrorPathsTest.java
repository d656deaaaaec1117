package io.myelin.kernels;

import com.aparapi.device.OpenCLDevice;
import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backend;
import io.myelin.core.backend.BackendOptions;
import io.myelin.core.backend.BackendProvider;
import io.myelin.core.backend.Backends;
import io.myelin.core.backend.JavaBackend;
import io.myelin.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Selection, build failures and missing platforms. */
class OpenClErrorPathsTest {
    @Test
    void providerIsRegisteredAndSelectableByName() {
        OpenClTestDevice.require();
        assertTrue(Backends.names().contains("opencl"), Backends.names().toString());
        try (Backend b = Backends.select("opencl")) {
            assertInstanceOf(OpenClBackend.class, b);
            assertTrue(b.device().startsWith("OpenCL "), b.device());
        }
    }

    @Test
    void unknownDeviceSelectorIsAClearError() {
        OpenClTestDevice.require();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Backends.select("opencl", new BackendOptions(1, "no-such-device-xyz")));
        assertTrue(e.getMessage().contains("no-such-device-xyz") && e.getMessage().contains("devices here"), e.getMessage());
    }

    @Test
    void kernelBuildFailureNamesTheDeviceAndCarriesTheBuildLog() {
        OpenCLDevice device = OpenClTestDevice.require();
        KernelBuildException e = assertThrows(KernelBuildException.class, () -> KernelBuild.compile(new BrokenKernel(), device));
        assertTrue(e.getMessage().contains(device.getName()), e.getMessage());
        assertTrue(e.buildLog().toLowerCase().contains("error"), "build log: " + e.buildLog());
        assertTrue(e.getMessage().contains("OpenCL build log"), e.getMessage());
    }

    @Test
    void autoFallsBackToJavaWhenGpuKernelsFailToBuild() {
        OpenCLDevice device = OpenClTestDevice.require();
        BackendProvider failingGpu = new BackendProvider() {
            @Override
            public String name() {
                return "opencl";
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public boolean isGpu() {
                return true; // pretend, so that auto tries it first
            }

            @Override
            public Backend create(BackendOptions options) {
                KernelBuild.compile(new BrokenKernel(), device);
                return new OpenClBackend(device);
            }
        };
        List<String> log = new ArrayList<>();
        Logger logger = Logger.getLogger(Backends.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                log.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(h);
        try (Backend b = Backends.selectAuto(List.of(failingGpu), BackendOptions.defaults())) {
            assertInstanceOf(JavaBackend.class, b);
        } finally {
            logger.removeHandler(h);
        }
        assertEquals(1, log.size(), "one log line: " + log);
        assertTrue(log.get(0).contains("failed to build") && log.get(0).contains(device.getName()), log.get(0));
    }

    @Test
    void noOpenClPlatformIsAClearErrorAndAutoUsesJava(@TempDir Path emptyVendors) throws Exception {
        // The ICD loader reads platforms from OCL_ICD_VENDORS; an empty directory means no platform at all.
        String text = ChildJvm.run(NoPlatformProbe.class, Map.of("OCL_ICD_VENDORS", emptyVendors.toString()));
        assertTrue(Files.isDirectory(emptyVendors));
        // Some ICD loaders (e.g. the Khronos loader shipped with NVIDIA drivers) ignore OCL_ICD_VENDORS: then this
        // machine cannot simulate a missing platform, which is not a pass.
        assumeFalse(text.contains("UNEXPECTED opencl backend"),
                () -> "this ICD loader ignores OCL_ICD_VENDORS; cannot hide the platforms: " + text);
        assertTrue(text.contains("INVALID_INPUT backend 'opencl' is not available here"), text);
        assertTrue(text.contains("AUTO java"), text);
    }
}
