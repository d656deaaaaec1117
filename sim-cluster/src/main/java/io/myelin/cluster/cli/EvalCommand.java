package io.myelin.cluster.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.SharedPaths;
import io.myelin.cluster.eval.DistributedEvaluation;
import io.myelin.core.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code myelin-cluster eval}: a trained model's accuracy on a test file split over Spark executors. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model (myelin eval's numbers) with the test file split into ranges of"
                + " samples, each read and evaluated by one Spark task; predictions identical to myelin eval's.",
                "  myelin-cluster eval --model RUN --test F --master spark://HOST:7077 [--predictions FILE]"})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "run directory holding model.json, on storage every"
            + " worker sees")
    Path model;

    @Option(names = "--test", required = true, description = "SHD/SSC-format HDF5 file, on storage every worker sees")
    Path test;

    @Option(names = "--samples", defaultValue = "0", description = "first N samples only (0: all)")
    int samples;

    @Option(names = "--batch", defaultValue = "64", description = "evaluation batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--partitions", description = "ranges of samples, one task each (default: the task slots)")
    Integer partitions;

    @Option(names = "--threads", defaultValue = "1", description = "worker threads per task (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--predictions", description = "write sample,label,prediction lines (CSV, in sample order) here")
    Path predictions;

    @Option(names = "--json", description = "print one JSON line")
    boolean json;

    @Mixin
    SparkOptions spark;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (partitions != null && partitions < 1) {
            throw new InvalidInputException("--partitions must be >= 1, got " + partitions);
        }
        Path modelDir = SharedPaths.of("--model", model), testFile = SharedPaths.of("--test", test);
        DistributedEvaluation.Result r;
        try (ClusterSession s = spark.open("myelin eval " + model.getFileName())) {
            r = DistributedEvaluation.run(s.context(), modelDir, testFile, samples, batch,
                    partitions != null ? partitions : s.slots(), threads);
        }
        if (predictions != null) {
            StringBuilder b = new StringBuilder("sample,label,prediction\n");
            for (int i = 0; i < r.samples(); i++) {
                b.append(i).append(',').append(r.labels()[i]).append(',').append(r.predictions()[i]).append('\n');
            }
            try {
                Files.writeString(predictions, b);
            } catch (IOException e) {
                throw new InvalidInputException("--predictions " + predictions + ": cannot write: " + e.getMessage());
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("accuracy", r.accuracy());
            n.put("samples", r.samples());
            n.put("samples_per_s", r.samplesPerSecond());
            n.put("partitions", r.partitions());
            o.println(n);
        } else {
            o.printf("accuracy %.2f%% on %d samples (%.1f samples/s over %d partitions)%n", 100 * r.accuracy(),
                    r.samples(), r.samplesPerSecond(), r.partitions());
        }
        o.flush();
        return 0;
    }
}
