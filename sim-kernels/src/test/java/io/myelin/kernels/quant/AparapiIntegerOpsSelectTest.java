package io.myelin.kernels.quant;

import io.myelin.core.InvalidInputException;
import io.myelin.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Device selection: clear errors when there is no OpenCL device or none matches. */
class AparapiIntegerOpsSelectTest {
    @Test
    void unknownDeviceIsAClearError() {
        QuantTestDevice.require();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AparapiIntegerOps.select("no-such-device-xyz"));
        assertTrue(e.getMessage().contains("no-such-device-xyz") && e.getMessage().contains("devices here"),
                e.getMessage());
    }

    /** Runs everywhere: a child JVM that sees no OpenCL platform (or, on a machine without OpenCL, none anyway). */
    @Test
    void noOpenClDeviceIsAClearError(@TempDir Path emptyVendors) throws Exception {
        // The ICD loader reads platforms from OCL_ICD_VENDORS; an empty directory means no platform at all.
        String text = ChildJvm.run(NoDeviceProbe.class, Map.of("OCL_ICD_VENDORS", emptyVendors.toString()));
        assumeFalse(text.contains("UNEXPECTED"),
                () -> "this ICD loader ignores OCL_ICD_VENDORS; cannot hide the platforms: " + text);
        assertTrue(text.contains("INVALID_INPUT OpenCL integer ops are not available here: "), text);
    }

    /** Child-JVM side of {@link #noOpenClDeviceIsAClearError}. */
    static final class NoDeviceProbe {
        public static void main(String[] args) {
            try (AparapiIntegerOps ops = AparapiIntegerOps.select(null)) {
                System.out.println("UNEXPECTED " + ops.name());
            } catch (InvalidInputException e) {
                System.out.println("INVALID_INPUT " + e.getMessage());
            }
        }
    }
}
