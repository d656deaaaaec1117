package io.myelin.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.PrintStream;

/**
 * Prints the reason of every skipped test on the console, one line each ({@code [SKIPPED] OpenClBackendTest
 * > spikesMatchJava(): OpenCL tests skipped: no OpenCL platform}); surefire otherwise keeps it in its XML reports only.
 * Registered with {@link java.util.ServiceLoader} for every module's tests (through sim-core's test-jar): a disabled
 * test and an aborted one (a failed assumption) both count.
 */
public final class SkipReasons implements TestExecutionListener {
    private final PrintStream out;

    public SkipReasons() {
        this(System.out);
    }

    public SkipReasons(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private void print(TestIdentifier test, String reason) {
        String where = test.getSource().map(Object::toString).orElse("");
        String cls = where.replaceAll(".*className = '([^']*)'.*", "$1");
        String name = cls.equals(where) ? test.getDisplayName()
                : cls.substring(cls.lastIndexOf('.') + 1) + " > " + test.getDisplayName();
        out.println("[SKIPPED] " + name + ": " + (reason == null ? "no reason given" : reason));
        out.flush();
    }
}
