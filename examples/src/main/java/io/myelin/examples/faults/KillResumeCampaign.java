package io.myelin.examples.faults;

import io.myelin.examples.Myelin;
import io.myelin.core.store.WriteFaults;
import io.myelin.models.train.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Kill -9 at any moment of training, then {@code myelin train --resume DIR} to the end, compared bit for bit with an
 * uninterrupted run ({@link RunComparison}). Every run is a real child process of the {@code myelin} command line (this
 * JVM's class path and options), killed with {@link Process#destroyForcibly()}, which is SIGKILL on Linux:
 * <ul>
 *   <li>{@link #randomKill}: at a random moment between start-up and the end of the run (data loading, mid-epoch,
 *   evaluation, any write), sometimes a second time while it resumes;</li>
 *   <li>{@link #killDuringWrite}: exactly while a given file is being written (the {@link WriteFaults} seam pauses the
 *   write half-way; the kill is real): the checkpoint, the best model's weights or {@code model.json}, a
 *   {@code metrics.jsonl} line, the report, {@code run.json};</li>
 *   <li>{@link #diskFull}: a write fails as on a full disk; the previous checkpoint must stay usable;</li>
 *   <li>{@link #secondProcess}: a second training process on the same directory is refused while the first runs, and
 *   the lock of the killed first is taken over.</li>
 * </ul>
 * When a kill came before the run existed on disk, the harness follows what the error message tells the user.
 */
public final class KillResumeCampaign {
    /** One kill and its resume. */
    public record Trial(String point, String detail, boolean killed, List<String> problems) {
        public boolean survived() {
            return problems.isEmpty();
        }
    }

    /**
     * @param work    scratch directory
     * @param train   training file
     * @param test    test file
     * @param config  config file
     * @param phases  sub-directories of earlier phases the run has ({@code teacher} for a distilled QSD run)
     * @param limit   time a child process may take
     */
    public record Setup(Path work, Path train, Path test, Path config, List<String> phases, Duration limit) {
    }

    private final Setup s;
    private final MessageCatalog messages = new MessageCatalog();
    private Path reference;
    private double firstEpochSeconds;
    private double totalSeconds;
    private int runs;

    public KillResumeCampaign(Setup setup) {
        this.s = setup;
    }

    /** The messages the children printed (error lines), as templates. */
    public MessageCatalog messages() {
        return messages;
    }

    /** Runs the uninterrupted reference (once); returns its directory. */
    public Path reference() {
        if (reference == null) {
            Path dir = s.work.resolve("reference");
            long t0 = System.nanoTime();
            Child c = start(List.of(), fresh(dir));
            double first = -1;
            while (c.alive()) {
                if (first < 0 && c.stderr().contains("epoch 1/")) {
                    first = (System.nanoTime() - t0) / 1e9;
                }
                sleep(20);
            }
            int code = c.exitCode();
            totalSeconds = (System.nanoTime() - t0) / 1e9;
            firstEpochSeconds = first < 0 ? totalSeconds / 2 : first;
            if (code != 0) {
                throw new IllegalStateException("the reference run failed (" + code + "): " + c.stderr());
            }
            reference = dir;
        }
        return reference;
    }

    /** Seconds the reference took (after {@link #reference()}). */
    public double referenceSeconds() {
        return totalSeconds;
    }

    /**
     * Kills a run at a random moment (seeded), sometimes its resume too ({@code twice}), then resumes it to the end. The
     * moment is drawn by progress, not by the clock, so that every trial kills whatever the machine's load: a random
     * epoch (or the start-up before the first), then a random delay within it; a run that ends before the delay is
     * started again with half the delay.
     */
    public Trial randomKill(long seed, boolean twice) {
        Path ref = reference();
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = s.work.resolve("random-" + seed);
        int epochs = epochLines(ref);
        int after = r.nextInt(epochs);
        double epochSeconds = (totalSeconds - firstEpochSeconds) / Math.max(1, epochs);
        double delay = r.nextDouble() * (after == 0 ? firstEpochSeconds : epochSeconds);
        for (int attempt = 0; ; attempt++) {
            deleteTree(dir);
            Child c = start(List.of(), fresh(dir));
            if (c.killAfterProgress(after, epochs, delay)) {
                break;
            }
            if (attempt == 6) {
                return new Trial("random moment", "every attempt ended before its kill", false, List.of());
            }
            delay /= 2;
        }
        String detail = String.format("SIGKILL %.2f s after %s", delay, after == 0 ? "start" : "epoch " + after);
        if (twice) {
            Child second = start(List.of(), resume(dir));
            int again = r.nextInt(epochs);
            boolean killedAgain = second.killAfterProgress(again, epochs, r.nextDouble() * epochSeconds / 2);
            detail += killedAgain ? ", its resume killed too" : ", its resume finished first";
        }
        return finish("random moment", detail, true, dir, ref, false);
    }

    /** Epochs of the reference run (its metrics lines). */
    private static int epochLines(Path ref) {
        try {
            return Math.max(1, (int) Files.readAllLines(ref.resolve(RunStore.METRICS)).size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills a run while it writes the {@code nth} file matching {@code file} ({@code model-e*.bin}), {@code bytes}
     * into it, then resumes it; a temporary file must be left by the kill and be gone after the resume.
     */
    public Trial killDuringWrite(String file, int nth, long bytes) {
        Path ref = reference();
        Path dir = s.work.resolve("paused-" + file.replace('*', 'N') + "-" + nth);
        Child c = start(List.of("-D" + WriteFaults.PROPERTY + "=pause:" + file + ":" + nth + ":" + bytes), fresh(dir));
        boolean paused = c.waitFor("myelin-fault: paused writing");
        String point = "while writing " + file;
        if (!paused) {
            return new Trial(point, "the run never wrote it " + nth + " times", false, List.of());
        }
        c.kill();
        List<String> problems = new ArrayList<>();
        boolean atomic = !file.equals(RunStore.METRICS);
        if (atomic && !leftTemporary(dir)) {
            problems.add("the kill left no temporary file (was the write really interrupted?)");
        }
        Trial t = finish(point, "write " + nth + " paused after " + bytes + " bytes, then SIGKILL", true, dir, ref);
        problems.addAll(t.problems());
        return new Trial(t.point(), t.detail(), true, problems);
    }

    /**
     * The {@code nth} write of {@code file} fails as on a full disk after {@code bytes}: the run stops with one line,
     * the previous checkpoint stays usable, and a resume (space freed) ends as the uninterrupted run.
     */
    public Trial diskFull(String file, int nth, long bytes) {
        Path ref = reference();
        Path dir = s.work.resolve("full-" + file.replace('*', 'N') + "-" + nth);
        Child c = start(List.of("-D" + WriteFaults.PROPERTY + "=enospc:" + file + ":" + nth + ":" + bytes), fresh(dir));
        c.await();
        List<String> problems = new ArrayList<>();
        String err = c.stderr();
        record(err);
        if (c.exitCode() != 2 || !err.contains("disk is full")) {
            problems.add("exit " + c.exitCode() + " without the disk-full message: " + err.strip());
        }
        Path ck = dir.resolve(RunStore.CHECKPOINT);
        if (Files.isRegularFile(ck)) {
            try {
                io.myelin.models.store.TensorFile.read(ck);
            } catch (RuntimeException e) {
                problems.add("the previous checkpoint is not usable: " + e.getMessage());
            }
        }
        if (leftTemporary(dir)) {
            problems.add("the failed write left its temporary file");
        }
        Trial t = finish("disk full writing " + file, "write " + nth + " fails after " + bytes + " bytes", true, dir, ref);
        problems.addAll(t.problems());
        return new Trial(t.point(), t.detail(), true, problems);
    }

    /**
     * A second process on the same directory is refused while the first trains (the message names the first's pid);
     * the first is then killed, and a resume takes over its stale lock and ends as the uninterrupted run.
     */
    public Trial secondProcess() {
        Path ref = reference();
        Path dir = s.work.resolve("two-processes");
        Child first = start(List.of("-D" + WriteFaults.PROPERTY + "=pause:" + RunStore.CHECKPOINT + ":1:10"), fresh(dir));
        List<String> problems = new ArrayList<>();
        if (!first.waitFor("myelin-fault: paused writing")) {
            return new Trial("second process", "the first never paused: " + first.stderr(), false,
                    List.of("the first process did not reach its checkpoint"));
        }
        Child second = start(List.of(), resume(dir));
        second.await();
        String err = second.stderr();
        record(err);
        if (second.exitCode() != 2 || !err.contains("in use by another training process")
                || !err.contains("pid " + first.process.pid())) {
            problems.add("the second process was not refused naming pid " + first.process.pid() + ": exit "
                    + second.exitCode() + ", " + err.strip());
        }
        first.kill();
        Trial t = finish("second process, then the first killed", "refused while pid " + first.process.pid()
                + " trained; its lock taken over after SIGKILL", true, dir, ref);
        problems.addAll(t.problems());
        return new Trial(t.point(), t.detail(), true, problems);
    }

    /**
     * Kills a run once {@code waitFor} exists in its directory and {@code notYet} does not (a distilled QSD run in its
     * teacher phase: {@code teacher/checkpoint.bin} written, the student's not), then resumes it.
     */
    public Trial killWhen(String point, String waitFor, String notYet) {
        Path ref = reference();
        Path dir = s.work.resolve("when-" + runs);
        Child c = start(List.of(), fresh(dir));
        boolean killed = false;
        long end = System.nanoTime() + s.limit.toNanos();
        while (c.alive() && System.nanoTime() < end) {
            if (Files.isRegularFile(dir.resolve(waitFor)) && !Files.exists(dir.resolve(notYet))) {
                c.kill();
                killed = true;
                break;
            }
            sleep(5);
        }
        return finish(point, "SIGKILL once " + waitFor + " existed and " + notYet + " did not", killed, dir, ref);
    }

    /** Resumes {@code dir} to the end (as the messages tell the user) and compares it with the reference. */
    private Trial finish(String point, String detail, boolean killed, Path dir, Path ref) {
        return finish(point, detail, killed, dir, ref, true);
    }

    /**
     * @param recordMessages whether the messages met count for the catalogue (not for random kills: which message a
     *                       random moment meets depends on timing, and the catalogue must not)
     */
    private Trial finish(String point, String detail, boolean killed, Path dir, Path ref, boolean recordMessages) {
        List<String> problems = new ArrayList<>();
        Child r = start(List.of(), resume(dir));
        r.await();
        String err = r.stderr();
        if (r.exitCode() != 0) {
            if (recordMessages) {
                record(err);
            }
            // killed before the run existed on disk: the message says to start it, and so the harness does
            if (r.exitCode() == 2 && (err.contains("holds no run to resume") || err.contains("no such directory"))) {
                Child again = start(List.of(), fresh(dir));
                again.await();
                if (again.exitCode() != 0) {
                    problems.add("starting again failed (" + again.exitCode() + "): " + again.stderr().strip());
                }
                detail += "; killed before the run existed, started again as told";
            } else {
                problems.add("--resume failed (" + r.exitCode() + "): " + err.strip());
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(RunComparison.differences(ref, dir, true, s.phases.toArray(new String[0])));
        }
        return new Trial(point, detail, killed, problems);
    }

    private void record(String stderr) {
        for (String line : stderr.split("\n")) {
            if (line.startsWith("myelin: error: ")) {
                messages.add(line.substring("myelin: ".length()), null, s.work.toString());
            }
        }
    }

    private static boolean leftTemporary(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.anyMatch(f -> io.myelin.core.store.AtomicFiles.isTemporary(f.getFileName().toString()));
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> fresh(Path dir) {
        List<String> a = new ArrayList<>(List.of("train", "--config", s.config.toString(), "--out", dir.toString()));
        a.addAll(data());
        return a;
    }

    private List<String> resume(Path dir) {
        List<String> a = new ArrayList<>(List.of("train", "--resume", dir.toString()));
        a.addAll(data());
        return a;
    }

    private List<String> data() {
        return List.of("--train", s.train.toString(), "--test", s.test.toString());
    }

    /** A child {@code myelin} process with this JVM's class path and the options results depend on. */
    private Child start(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            // the windowed DCLS paths round differently from the plain ones: every run takes the same
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Myelin.class.getName()));
        cmd.addAll(args);
        int n = ++runs;
        Path out = s.work.resolve("child-" + n + ".out"), err = s.work.resolve("child-" + n + ".err");
        try {
            Files.createDirectories(s.work);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("MYELIN_PROGRESS");
            return new Child(pb.start(), err, s.limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A running child and its stderr. */
    private static final class Child {
        final Process process;
        final Path err;
        final Duration limit;
        final long started = System.nanoTime();

        Child(Process process, Path err, Duration limit) {
            this.process = process;
            this.err = err;
            this.limit = limit;
        }

        boolean alive() {
            if (System.nanoTime() - started > limit.toNanos()) {
                kill();
                throw new IllegalStateException("a child process ran past " + limit + ": " + stderr());
            }
            return process.isAlive();
        }

        String stderr() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return "";
            }
        }

        /** Waits until stderr contains {@code text}; false when the process ended first. */
        boolean waitFor(String text) {
            while (alive()) {
                if (stderr().contains(text)) {
                    return true;
                }
                sleep(10);
            }
            return stderr().contains(text);
        }

        /**
         * SIGKILL {@code seconds} after the progress line of epoch {@code after} appears on stderr (after start when
         * 0; the last line of a phase of several is the last phase's), unless it ended first; whether it was killed.
         */
        boolean killAfterProgress(int after, int epochs, double seconds) {
            String line = "epoch " + after + "/" + epochs + ":";
            long from = started;
            if (after > 0) {
                while (alive() && !stderr().contains(line)) {
                    sleep(2);
                }
                from = System.nanoTime();
            }
            long end = from + (long) (seconds * 1e9);
            while (alive() && System.nanoTime() < end) {
                sleep(2);
            }
            if (!process.isAlive()) {
                return false;
            }
            kill();
            return true;
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void await() {
            while (alive()) {
                sleep(10);
            }
        }

        int exitCode() {
            return process.exitValue();
        }
    }
}
