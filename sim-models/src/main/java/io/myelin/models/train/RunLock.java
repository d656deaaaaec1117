package io.myelin.models.train;

import io.myelin.core.InvalidInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One training process per run directory: {@value #FILE} holds the owner's pid and start time, and the owner
 * holds an operating-system lock on it for as long as it runs. A second process pointed at the same directory is
 * refused in one line naming the owner. The OS releases the lock when its owner dies, however it dies (kill -9
 * included), so a lock file left by a dead process is stale: the next process takes it over, and says so.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file in a run directory. */
    public static final String FILE = "myelin.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String staleOwner;

    private RunLock(Path file, FileChannel channel, FileLock lock, String staleOwner) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.staleOwner = staleOwner;
    }

    /** Takes the lock of {@code dir} (created if absent), or refuses: another live process holds it. */
    public static RunLock acquire(Path dir) {
        Path f = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already
            }
            if (lock == null) {
                String owner = read(ch);
                ch.close();
                throw new InvalidInputException(dir + " is in use by another training process (" + describe(owner)
                        + "; lock file " + f + "); wait for it to finish, or choose another --out");
            }
            String previous = read(ch);
            ch.truncate(0);
            String me = "pid " + ProcessHandle.current().pid() + " since " + Instant.now();
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new RunLock(f, ch, lock, previous.isBlank() ? null : previous.strip());
        } catch (IOException e) {
            closeQuietly(ch);
            throw new InvalidInputException("cannot lock " + dir + " for training: " + e.getMessage());
        }
    }

    /** The owner recorded in a lock file that nobody held when it was taken (its process died), or null. */
    public String staleOwner() {
        return staleOwner;
    }

    /** Releases the lock and removes the file. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a lock file left behind is stale to the next process, which takes it over
        }
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private static String describe(String owner) {
        String o = owner.strip();
        if (o.isEmpty()) {
            return "its owner is starting";
        }
        if (o.startsWith("pid " + ProcessHandle.current().pid() + " ")) {
            return "this process: " + o;
        }
        return o;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
