package io.myelin.examples.cli;

import io.myelin.core.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.delay.inference.InferenceBenchmark;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code myelin bench infer}: inference samples per second of a trained delay SNN, per path; one JSON line. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Inference throughput of a trained delay SNN per path (samples/s, synaptic events/s); one JSON line.")
public final class BenchInferCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "run directory holding model.json")
    Path model;

    @Option(names = "--test", required = true, description = "SHD/SSC-format HDF5 file")
    Path test;

    @Option(names = "--paths", defaultValue = "reference,eval,eval1,clock,event",
            description = "comma-separated paths: reference, eval, eval1, clock, event, clock-stepwise, event-stepwise"
                    + " (default: ${DEFAULT-VALUE})")
    String paths;

    @Option(names = "--threads", defaultValue = "1", description = "worker threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--batch", defaultValue = "64", description = "samples per group (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--samples", defaultValue = "0", description = "first N samples only (0: all)")
    int samples;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed passes per path (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--repeats", defaultValue = "3", description = "timed passes per path, best counts (default: ${DEFAULT-VALUE})")
    int repeats;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TrainedModel loaded = RunStore.of(model).loadModel();
        if (!(loaded instanceof DelaySnn m)) {
            throw new InvalidInputException("bench infer measures delay-SNN models; " + model + " is not one");
        }
        BinnedSet data = BinnedSet.forModel(m.config().data(), m.inputs(), test, samples);
        InferenceBenchmark.Result r = InferenceBenchmark.run(m, data, InferenceBenchmark.parsePaths(paths), threads,
                batch, warmup, repeats);
        ObjectNode n = Json.object();
        n.put("bench", "infer");
        n.put("data", test.toString());
        n.put("samples", r.samples());
        n.put("threads", r.threads());
        n.put("batch", r.batch());
        n.put("events_per_sample", r.totalEventsPerSample());
        if (r.eventsPerSample().length > 0) {
            n.put("macs_per_sample", r.eventsPerSample()[0]);
            n.put("acs_per_sample", r.totalEventsPerSample() - r.eventsPerSample()[0]);
        }
        for (InferenceBenchmark.PathResult p : r.paths().values()) {
            ObjectNode o = n.putObject(p.path());
            o.put("samples_per_s", p.samplesPerSecond());
            o.put("cpu_ms_per_sample", 1000 * p.cpuSeconds() / r.samples());
            o.put("events_per_s", p.samplesPerSecond() * r.totalEventsPerSample());
            o.put("accuracy", p.accuracy());
            if (p.prepareSeconds() > 0) {
                o.put("input_prep_ms_per_sample", 1000 * p.prepareSeconds() / r.samples());
            }
            if (r.paths().containsKey("eval") && p != r.paths().get("eval")) {
                int[] a = r.paths().get("eval").predictions(), b = p.predictions();
                int same = 0;
                for (int i = 0; i < a.length; i++) {
                    same += a[i] == b[i] ? 1 : 0;
                }
                o.put("agreement_with_eval", (double) same / a.length);
            }
        }
        spec.commandLine().getOut().println(n);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
