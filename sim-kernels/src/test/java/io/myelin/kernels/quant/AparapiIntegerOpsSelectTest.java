package io.myelin.kernels.quant;

import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                NoDeviceProbe.class.getName()).redirectErrorStream(true);
        // The ICD loader reads platforms from OCL_ICD_VENDORS; an empty directory means no platform at all.
        pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = out.toString(StandardCharsets.UTF_8);
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
