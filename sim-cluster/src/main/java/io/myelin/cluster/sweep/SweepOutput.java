package io.myelin.cluster.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.store.AtomicFiles;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A sweep's output directory: {@code sweep.json} (what the sweep is: config, grid, seeds, epochs, files; a later
 * sweep into the same directory must be the same one, and then continues it), {@code sweep.lock} (held while a sweep
 * runs: a second one is refused), {@code runs/NAME/} (a run directory per run), {@code sweep.jsonl} (the results) and
 * {@code sweep.html}.
 */
public final class SweepOutput implements AutoCloseable {
    public static final String RECORD = "sweep.json";
    public static final String LOCK = "sweep.lock";
    public static final String RESULTS = "sweep.jsonl";
    public static final String PAGE = "sweep.html";
    public static final String RUNS = "runs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private boolean held;

    private SweepOutput(Path dir) {
        this.dir = dir;
    }

    /**
     * Takes {@code dir} for the sweep {@code definition}: creates it, checks this process can write it, takes its lock
     * and records the sweep, or checks that the sweep recorded there is this one.
     */
    public static SweepOutput claim(Path dir, JsonNode definition) {
        SweepOutput o = new SweepOutput(dir);
        try {
            Files.createDirectories(dir.resolve(RUNS));
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new InvalidInputException("--out " + dir + " is not writable: " + e);
        }
        o.lock();
        try {
            Path record = dir.resolve(RECORD);
            if (Files.isRegularFile(record)) {
                JsonNode saved = JSON.readTree(record.toFile()).path("definition");
                if (!saved.equals(definition)) {
                    throw new InvalidInputException("--out " + dir + " holds another sweep (its " + RECORD + " differs"
                            + " in " + difference(saved, definition) + "); choose another --out");
                }
            } else {
                ObjectNode root = JSON.createObjectNode();
                root.put("format", "myelin-sweep");
                root.put("version", 1);
                root.set("definition", definition);
                AtomicFiles.writeString(record, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            }
        } catch (IOException | RuntimeException e) {
            o.close();
            if (e instanceof InvalidInputException ie) {
                throw ie;
            }
            throw new InvalidInputException("--out " + dir + ": cannot record the sweep: " + e.getMessage());
        }
        return o;
    }

    public Path dir() {
        return dir;
    }

    /** The directory of the run named {@code name}. */
    public Path run(String name) {
        return dir.resolve(RUNS).resolve(name);
    }

    private void lock() {
        Path lock = dir.resolve(LOCK);
        String host = host();
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                ObjectNode me = JSON.createObjectNode().put("host", host).put("pid", pid)
                        .put("started", Instant.now().toString());
                Files.writeString(Files.createFile(lock), me.toString());
                held = true;
                Runtime.getRuntime().addShutdownHook(new Thread(this::close, "sweep-lock"));
                return;
            } catch (FileAlreadyExistsException e) {
                JsonNode other = readLock(lock);
                boolean stale = host.equals(other.path("host").asText())
                        && ProcessHandle.of(other.path("pid").asLong()).map(p -> !p.isAlive()).orElse(true);
                if (!stale) {
                    throw new InvalidInputException("--out " + dir + " is in use by another sweep (pid "
                            + other.path("pid").asText("?") + " on " + other.path("host").asText("?") + " since "
                            + other.path("started").asText("?") + "; " + LOCK + "); wait for it to finish, or delete "
                            + lock + " if that sweep is dead");
                }
                try {
                    Files.deleteIfExists(lock);
                } catch (IOException d) {
                    throw new InvalidInputException("cannot remove the stale lock " + lock + ": " + d.getMessage());
                }
            } catch (IOException e) {
                throw new InvalidInputException("--out " + dir + " is not writable: " + e);
            }
        }
        throw new InvalidInputException("cannot take " + lock);
    }

    private static JsonNode readLock(Path lock) {
        try {
            return JSON.readTree(Files.readString(lock));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The top-level fields in which two sweep definitions differ. */
    private static String difference(JsonNode a, JsonNode b) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        keys.removeIf(k -> a.path(k).equals(b.path(k)));
        return keys.isEmpty() ? "its format" : String.join(", ", keys);
    }

    /** Releases the lock. */
    @Override
    public synchronized void close() {
        if (held) {
            held = false;
            try {
                Files.deleteIfExists(dir.resolve(LOCK));
            } catch (IOException e) {
                // the lock names this process: a later sweep on this host sees it dead and takes over
            }
        }
    }
}
