package io.myelin.kernels;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles an Aparapi kernel for one OpenCL device, turning failure into a {@link KernelBuildException} with the
 * OpenCL build log.
 *
 * <p>Aparapi's native layer prints the build log to the process's stderr and hands Java only "OpenCL compile
 * failed". To put the log into the exception, a failed build is repeated in a child JVM (same class path, same
 * device) whose stderr is captured: slow, but only on the failure path.
 *
 * <p>Public for the other kernel packages of this module ({@code io.myelin.kernels.quant}); not an API for users.
 * A kernel class built here needs a no-argument constructor (the child JVM instantiates it).
 */
public final class KernelBuild {
    private static final String LOG_FENCE = "************************************************";
    private static final int MAX_LOG_CHARS = 20_000;

    private KernelBuild() {
    }

    /** Compiles {@code kernel} for {@code device}; Aparapi never falls back to Java in this mode. */
    public static void compile(Kernel kernel, OpenCLDevice device) {
        try {
            kernel.compile(device);
        } catch (CompileFailedException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new KernelBuildException(OpenClDevices.describe(device), reason,
                    buildLog(kernel.getClass(), OpenClDevices.indexOf(device)));
        }
    }

    /** Re-runs the build of {@code kernelClass} on device {@code deviceIndex} in a child JVM and returns its log. */
    static String buildLog(Class<? extends Kernel> kernelClass, int deviceIndex) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                BuildLogProbe.class.getName(), kernelClass.getName(), Integer.toString(deviceIndex));
        try {
            Process proc = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = readAll(proc.getErrorStream());
            if (!proc.waitFor(120, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                return "(build log unavailable: the build-log probe did not finish in 120 s)";
            }
            return extractLog(err);
        } catch (IOException e) {
            return "(build log unavailable: could not start " + java + ": " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(build log unavailable: interrupted)";
        }
    }

    /** The text Aparapi prints between its two fences of asterisks, else the whole (bounded) stderr. */
    static String extractLog(String stderr) {
        int first = stderr.indexOf(LOG_FENCE);
        int second = first < 0 ? -1 : stderr.indexOf(LOG_FENCE, first + LOG_FENCE.length());
        String log = second > 0 ? stderr.substring(first + LOG_FENCE.length(), second) : stderr;
        log = log.strip();
        if (log.isEmpty()) {
            return "(the OpenCL compiler printed no build log)";
        }
        return log.length() > MAX_LOG_CHARS ? log.substring(0, MAX_LOG_CHARS) + "\n(truncated)" : log;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
