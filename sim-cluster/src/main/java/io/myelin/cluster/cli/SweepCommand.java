package io.myelin.cluster.cli;

import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.sweep.Sweep;
import io.myelin.cluster.sweep.SweepOutput;
import io.myelin.cluster.sweep.SweepSummary;
import io.myelin.core.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code myelin-cluster sweep}: the runs of a grid of config settings times seeds, one Spark task per run. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train every combination of --vary settings for every seed, one Spark task per run, each the"
                + " ordinary trainer writing its run directory under OUT/runs (a retried task resumes from its"
                + " checkpoint). Prints a JSON line per run (--json) and a summary; writes OUT/sweep.jsonl and"
                + " OUT/sweep.html.",
                "  myelin-cluster sweep --config C.json --train F --test F --epochs 20 --seeds 0,1,2"
                        + " --vary model.delays=learned,random,none --master local[2] --out DIR --json"})
public final class SweepCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "config JSON (as myelin train takes)")
    Path config;

    @Mixin
    DataOptions data;

    @Option(names = "--epochs", description = "override training.epochs of every run")
    Integer epochs;

    @Option(names = "--batch", description = "override training.batch of every run")
    Integer batch;

    @Option(names = "--seeds", split = ",", defaultValue = "0", description = "seeds of every setting (default"
            + " ${DEFAULT-VALUE})")
    List<Long> seeds;

    @Option(names = "--vary", description = "KEY=V1,V2,...: a dotted config key and its values (repeatable; the grid"
            + " is their product), e.g. model.delays=learned,random,none  model.taps=15,25  model.hidden=[64],[64,64]")
    List<String> vary = List.of();

    @Option(names = "--out", required = true, description = "sweep directory, on storage every worker sees and may"
            + " write (the same sweep run again continues there)")
    Path out;

    @Option(names = "--threads", description = "worker threads per run (default: spark.task.cpus, 1 unless set;"
            + " results do not depend on it)")
    Integer threads;

    @Mixin
    ReportOptions report;

    @Option(names = "--json", description = "a JSON line per run as it finishes, then a summary line")
    boolean json;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Mixin
    SparkOptions spark;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Sweep.Plan plan = Sweep.plan(new Sweep.Spec(config, data.train, data.valid, data.test, epochs, batch, seeds,
                vary, out, threads != null ? threads : spark.taskCpus(), report.report, report.energyModel));
        java.io.PrintWriter o = spec.commandLine().getOut();
        PrintStream progress = quiet ? null : System.err;
        int n = plan.runs().size();
        try (ClusterSession session = spark.open("myelin sweep " + plan.out().getFileName());
             SweepOutput dir = SweepOutput.claim(plan.out(), plan.definition())) {
            Sweep.Outcome r = Sweep.execute(session, plan, dir,
                    res -> line(o, json ? SweepSummary.line(res).toString() : Sweep.human(res, n)),
                    f -> line(o, json ? f.toString() : "run " + f.path("run_dir").asText() + " failed: "
                            + f.path("error").asText()), progress);
            if (json) {
                o.println(r.summary());
            } else {
                r.summary().path("groups").forEach(g -> o.printf(java.util.Locale.ROOT,
                        "%s: best test accuracy %.2f%% ± %.2f%% over %d runs%n",
                        g.path("overrides").isEmpty() ? "(the config)" : g.path("overrides").toString(),
                        100 * g.path("best_test_acc_mean").asDouble(), 100 * g.path("best_test_acc_std").asDouble(),
                        g.path("n").asInt()));
                o.println("wrote " + plan.out().resolve(SweepOutput.RESULTS) + " and "
                        + plan.out().resolve(SweepOutput.PAGE));
            }
            o.flush();
            if (r.failed() > 0) {
                throw new InvalidInputException(r.failed() + " of " + n + " runs failed on every attempt (their lines"
                        + " say why); run the same sweep again to retry them");
            }
        }
        return 0;
    }

    private static void line(java.io.PrintWriter o, String s) {
        o.println(s);
        o.flush();
    }
}
