package io.myelin.testing;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.launcher.TestIdentifier;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Skip reasons reach the console: the listener is registered for every test run and prints one line per skip. */
class SkipReasonsTest {
    @Test
    void aFailedAssumptionOrADisabledTestPrintsItsReason() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        SkipReasons l = new SkipReasons(new PrintStream(b, true));
        AbstractTestDescriptor d = new AbstractTestDescriptor(UniqueId.forEngine("e"), "spikesMatchJava()",
                ClassSource.from("io.myelin.kernels.OpenClBackendTest")) {
            @Override
            public Type getType() {
                return Type.TEST;
            }
        };
        TestIdentifier id = TestIdentifier.from(d);
        l.executionFinished(id, TestExecutionResult.aborted(new TestAbortedException("OpenCL tests skipped: no platform")));
        l.executionSkipped(id, "disabled on this machine");
        l.executionFinished(id, TestExecutionResult.successful());
        assertEquals("[SKIPPED] OpenClBackendTest > spikesMatchJava(): OpenCL tests skipped: no platform\n"
                + "[SKIPPED] OpenClBackendTest > spikesMatchJava(): disabled on this machine\n", b.toString());
    }

    @Test
    void itIsRegisteredForEveryTestRun() {
        boolean found = false;
        for (var l : ServiceLoader.load(org.junit.platform.launcher.TestExecutionListener.class)) {
            found |= l instanceof SkipReasons;
        }
        assertTrue(found, "META-INF/services registers SkipReasons");
    }
}
