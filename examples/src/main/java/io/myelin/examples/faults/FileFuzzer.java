package io.myelin.examples.faults;

import io.myelin.core.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A seeded fuzzer of untrusted files: every case takes a valid file, mutates it ({@link Mutation}: truncated, bytes
 * flipped, a size replaced by a huge number, a value of the wrong type), has Myelin read it with a time limit and
 * classifies what happened ({@link Outcome}). Acceptable: a read, or one clear line naming the file. Failures: a hang,
 * an {@link OutOfMemoryError}, any other exception (a stack trace), an unclear message. Case {@code i} of a target
 * depends on the seed and {@code i} only, so any case can be replayed alone.
 */
public final class FileFuzzer {
    /** What a campaign found. */
    public record Result(Map<String, Map<String, Map<Outcome, Integer>>> counts, List<String> failures,
                         MessageCatalog messages, int cases) {
        /** Cases by outcome over every target and mutation. */
        public Map<Outcome, Integer> byOutcome() {
            Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
            counts.values().forEach(byKind -> byKind.values().forEach(o -> o.forEach((k, v) -> m.merge(k, v, Integer::sum))));
            return m;
        }
    }

    private final Path work;
    private final Duration limit;
    private final long seed;

    /**
     * @param work  scratch directory for the mutated files
     * @param limit time one read may take before it counts as a hang
     */
    public FileFuzzer(Path work, Duration limit, long seed) {
        this.work = work;
        this.limit = limit;
        this.seed = seed;
    }

    /** Runs {@code cases} cases of each target. */
    public Result run(List<FuzzTarget> targets, int cases) {
        Map<String, Map<String, Map<Outcome, Integer>>> counts = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        MessageCatalog messages = new MessageCatalog();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        int total = 0;
        try {
            for (FuzzTarget target : targets) {
                if (target.seeds().isEmpty()) {
                    continue;
                }
                Map<Path, String> originals = new LinkedHashMap<>();
                for (Path s : target.seeds()) {
                    originals.put(s, target.read().apply(s));
                }
                Map<String, Map<Outcome, Integer>> byKind = counts.computeIfAbsent(target.name(), k -> new LinkedHashMap<>());
                for (int i = 0; i < cases; i++) {
                    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i * 7919L + target.name().hashCode());
                    Path seedFile = target.seeds().get(r.nextInt(target.seeds().size()));
                    Mutation m = mutate(target, seedFile, r);
                    Case c = runCase(pool, target, seedFile, m, i, originals.get(seedFile));
                    total++;
                    byKind.computeIfAbsent(m.kind(), k -> new EnumMap<>(Outcome.class)).merge(c.outcome, 1, Integer::sum);
                    if (c.message != null && c.outcome == Outcome.REFUSED) {
                        messages.add(c.message, c.file.toString(), c.file.getParent().toString());
                    }
                    if (!c.outcome.acceptable()) {
                        failures.add(target.name() + " case " + i + " (seed " + seed + ", " + seedFile.getFileName() + ", "
                                + m.kind() + ": " + m.detail() + "): " + c.outcome.words() + ": " + c.message);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(counts, failures, messages, total);
    }

    /** One of the four mutation kinds, in turn (wrong types only for targets that have them). */
    private static Mutation mutate(FuzzTarget target, Path seedFile, SplittableRandom r) {
        byte[] b;
        try {
            b = Files.readAllBytes(seedFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int kinds = target.wrongTypes() == null ? 3 : 4;
        return switch (r.nextInt(kinds)) {
            case 0 -> Mutation.truncated(b, r);
            case 1 -> Mutation.flipped(b, r);
            case 2 -> Mutation.hugeNumber(b, r);
            default -> target.wrongTypes().apply(seedFile, r);
        };
    }

    private record Case(Outcome outcome, String message, Path file) {
    }

    private Case runCase(ExecutorService pool, FuzzTarget target, Path seedFile, Mutation m, int i, String original) {
        Path dir = work.resolve(target.name() + "-" + i);
        Path file;
        try {
            Files.createDirectories(dir);
            if (target.needsDirectory()) {
                try (var files = Files.list(seedFile.getParent())) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        if (Files.isRegularFile(f)) {
                            Files.copy(f, dir.resolve(f.getFileName()));
                        }
                    }
                }
            }
            file = dir.resolve(target.fileName().apply(seedFile));
            Files.write(file, m.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Future<String> f = pool.submit(() -> target.read().apply(file));
        try {
            String digest = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return new Case(digest.equals(original) ? Outcome.READ_SAME : Outcome.READ_CHANGED, null, file);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Case(Outcome.HANG, "no result after " + limit.toMillis() + " ms", file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof OutOfMemoryError) {
                return new Case(Outcome.OUT_OF_MEMORY, t.toString(), file);
            }
            if (t instanceof InvalidInputException) {
                String msg = t.getMessage();
                boolean clear = msg != null && !msg.contains("\n") && msg.length() < 600
                        && (msg.contains(file.toString()) || msg.contains(file.getParent().toString()));
                return new Case(clear ? Outcome.REFUSED : Outcome.UNCLEAR, msg, file);
            }
            StackTraceElement at = t.getStackTrace().length == 0 ? null : t.getStackTrace()[0];
            return new Case(Outcome.CRASH, t + (at == null ? "" : " at " + at), file);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch files of a case: left for the next run's temporary directory cleanup
        }
    }
}
