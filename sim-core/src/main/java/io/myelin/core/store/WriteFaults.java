package io.myelin.core.store;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The fault-injection seam of the files a run writes (checkpoints, models, metrics, reports): every such write goes
 * through {@link #wrap}, which passes bytes through unchanged unless a fault is planned for it. A real full disk or a
 * kill at an exact byte cannot be arranged in a test, so the fault suite (docs/reliability.md) plans them here:
 * <ul>
 *   <li>{@code enospc:NAME:N:B} - the N-th write of a file whose name matches NAME ({@code *} matches any run of
 *   characters: {@code model-e*.bin}) fails after B bytes with {@code IOException("No space left on device")}, as a
 *   full disk does;</li>
 *   <li>{@code pause:NAME:N:B} - the N-th write matching NAME stops after B bytes (flushed, so the temporary file on
 *   disk is half written), prints {@code myelin-fault: paused writing FILE} on stderr and waits, for the test to kill
 *   the process with SIGKILL at that instant.</li>
 * </ul>
 * A plan comes from the system property {@value #PROPERTY} (child processes) or {@link #install} (this JVM); without
 * one this class does nothing.
 */
public final class WriteFaults {
    /** System property holding a plan. */
    public static final String PROPERTY = "myelin.write.faults";

    private static volatile Plan plan = parse(System.getProperty(PROPERTY));
    private static int writes;

    private WriteFaults() {
    }

    /** A planned fault. */
    record Plan(String kind, String name, int nth, long afterBytes) {
        boolean matches(String fileName) {
            String[] parts = name.split("\\*", -1);
            StringBuilder re = new StringBuilder(java.util.regex.Pattern.quote(parts[0]));
            for (int i = 1; i < parts.length; i++) {
                re.append(".*").append(java.util.regex.Pattern.quote(parts[i]));
            }
            return fileName.matches(re.toString());
        }
    }

    /** Plans a fault for this JVM ({@code enospc:checkpoint.bin:2:1000}); null clears it. Write counts restart. */
    public static synchronized void install(String spec) {
        plan = parse(spec);
        writes = 0;
    }

    static Plan parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        String[] p = spec.split(":");
        if (p.length != 4 || !(p[0].equals("enospc") || p[0].equals("pause"))) {
            throw new IllegalArgumentException(PROPERTY + " must be enospc|pause:NAME:N:BYTES, got '" + spec + "'");
        }
        return new Plan(p[0], p[1], Integer.parseInt(p[2]), Long.parseLong(p[3]));
    }

    /** {@code out}, which writes {@code target}, with the planned fault if this write is the one planned. */
    public static OutputStream wrap(Path target, OutputStream out) {
        Plan p = plan;
        if (p == null) {
            return out;
        }
        String name = target.getFileName().toString();
        if (!p.matches(name)) {
            return out;
        }
        int nth;
        synchronized (WriteFaults.class) {
            nth = ++writes;
        }
        if (nth != p.nth) {
            return out;
        }
        return new FilterOutputStream(out) {
            long written;

            @Override
            public void write(int b) throws IOException {
                before(1);
                out.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    long room = p.afterBytes - written;
                    int now = (int) Math.min(len, Math.max(room, 0));
                    if (now == 0) {
                        before(len);
                    }
                    out.write(b, off, now);
                    written += now;
                    off += now;
                    len -= now;
                }
            }

            private void before(int n) throws IOException {
                if (written + n <= p.afterBytes) {
                    return;
                }
                if (p.kind.equals("enospc")) {
                    throw new IOException("No space left on device");
                }
                out.flush();
                System.err.println("myelin-fault: paused writing " + name);
                System.err.flush();
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("paused write of " + name + " was not killed");
            }
        };
    }
}
