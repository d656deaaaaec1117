package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.MemoryBudget;
import io.myelin.core.json.Json;
import io.myelin.examples.faults.FaultSuiteInputs;
import io.myelin.examples.faults.FileFuzzer;
import io.myelin.examples.faults.KillResumeCampaign;
import io.myelin.examples.faults.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code myelin bench faults}: the fault suite's long soak, not run by the build: many more fuzz cases per untrusted
 * file kind and many more random kills than the CI tests ({@code FileFuzzTest}, {@code KillResumeTest}), with other
 * seeds. Prints the outcomes by class and every failure with what reproduces it; exit code 1 when any case failed (a
 * bug found). Run from the repository root (docs/reliability.md).
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"Soak of the fault suite: fuzz untrusted files (HDF5 spike files, NIR graphs, .npy, .npz,"
                + " checkpoints, model directories) and kill -9 training runs at random moments, then resume them and"
                + " compare with an uninterrupted run bit for bit.",
                "  myelin bench faults --fuzz-cases 2000 --kills 50   (from the repository root)"})
public final class BenchFaultsCommand implements Callable<Integer> {
    @Option(names = "--fuzz-cases", defaultValue = "1000", description = "cases per file kind (default ${DEFAULT-VALUE})")
    int fuzzCases;

    @Option(names = "--kills", defaultValue = "30", description = "random kills of training runs (default ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the fuzz cases and kill times (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--repo", description = "repository root (default: found from the working directory)")
    Path repo;

    @Option(names = "--work", description = "scratch directory (default: a new temporary directory)")
    Path work;

    @Option(names = "--json", description = "print the result as one JSON line (the last line of stdout)")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (fuzzCases < 0 || kills < 0) {
            throw new InvalidInputException("--fuzz-cases and --kills must be >= 0");
        }
        Path root = repo != null ? repo : FaultSuiteInputs.findRepository(Path.of(""));
        if (root == null || !Files.isDirectory(root.resolve("test-data"))) {
            throw new InvalidInputException("--repo: no repository root with test-data/ found; run from the repository"
                    + " or give --repo");
        }
        Path dir = work != null ? OutputDirectory.prepare(work, "--work") : Files.createTempDirectory("myelin-faults");
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        FaultSuiteInputs inputs = new FaultSuiteInputs(root);
        List<String> failures = new ArrayList<>();

        if (System.getProperty(MemoryBudget.PROPERTY) == null) {
            System.setProperty(MemoryBudget.PROPERTY, "256m"); // a believed declared size fails here, not on a big heap
        }
        long t0 = System.nanoTime();
        FileFuzzer.Result fuzz = new FileFuzzer(dir.resolve("fuzz"), Duration.ofSeconds(30), seed)
                .run(inputs.fuzzTargets(dir.resolve("seeds")), fuzzCases);
        failures.addAll(fuzz.failures());
        err.printf("fuzzed %d cases in %.0f s%n", fuzz.cases(), (System.nanoTime() - t0) / 1e9);
        err.flush();

        Path[] data = inputs.smallData(dir.resolve("data"));
        KillResumeCampaign c = new KillResumeCampaign(new KillResumeCampaign.Setup(dir.resolve("kills"), data[0],
                data[1], inputs.delayConfig(dir), List.of(), Duration.ofSeconds(300)));
        int tried = 0, survived = 0;
        for (int i = 0; i < kills; i++) {
            KillResumeCampaign.Trial t = c.randomKill(seed * 1_000_003L + i, i % 4 == 3);
            if (t.killed()) {
                tried++;
                survived += t.survived() ? 1 : 0;
            }
            if (!t.survived()) {
                failures.add("kill " + i + " (" + t.detail() + "): " + t.problems());
            }
            err.printf("kill %d/%d: %s%s%n", i + 1, kills, t.detail(), t.survived() ? "" : " FAILED " + t.problems());
            err.flush();
        }

        Map<Outcome, Integer> byOutcome = fuzz.byOutcome();
        if (json) {
            ObjectNode n = Json.object();
            n.put("bench", "faults");
            n.put("seed", seed);
            n.put("fuzz_cases", fuzz.cases());
            ObjectNode oc = n.putObject("fuzz_outcomes");
            byOutcome.forEach((k, v) -> oc.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
            n.put("kills_tried", tried);
            n.put("kills_survived", survived);
            n.put("failures", failures.size());
            o.println(n);
        } else {
            o.printf("fuzz: %d cases (seed %d)%n", fuzz.cases(), seed);
            fuzz.counts().forEach((target, kinds) -> kinds.forEach((kind, outcomes) -> o.printf("  %-12s %-14s %s%n",
                    target, kind, outcomes)));
            byOutcome.forEach((k, v) -> o.printf("  %-30s %d%n", k.words(), v));
            o.printf("kill -9 and resume: %d of %d kills survived (reference run %.1f s)%n", survived, tried,
                    c.referenceSeconds());
            for (String f : failures) {
                o.println("FAILED " + f);
            }
        }
        o.flush();
        return failures.isEmpty() ? 0 : 1;
    }
}
