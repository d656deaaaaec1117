package io.myelin.cluster.cli;

import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.MyelinCluster;
import io.myelin.core.InvalidInputException;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a command runs: the Spark master and settings, as {@code spark-submit} takes them. */
public final class SparkOptions {
    @Option(names = "--master", description = "local[N] (this machine, N cores), spark://HOST:PORT (a standalone"
            + " cluster), yarn or k8s://URL; default: the one spark-submit set")
    String master;

    @Option(names = "--conf", description = "a Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=4g")
    List<String> conf = List.of();

    @Option(names = "--executor-wait", defaultValue = "60", description = "seconds to wait for the first executor of a"
            + " cluster before giving up (default ${DEFAULT-VALUE})")
    int executorWait;

    /** Cores of one Spark task ({@code spark.task.cpus}: --conf, else spark-submit's, else 1): a run's threads. */
    int taskCpus() {
        String v = System.getProperty("spark.task.cpus", "1");
        for (String kv : conf) {
            if (kv.startsWith("spark.task.cpus=")) {
                v = kv.substring("spark.task.cpus=".length()).trim();
            }
        }
        try {
            return Math.max(1, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("spark.task.cpus must be a whole number, got '" + v + "'");
        }
    }

    ClusterSession open(String appName) {
        MyelinCluster.checkJvmOptions();
        Map<String, String> c = new LinkedHashMap<>();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--conf " + kv + ": write KEY=VALUE");
            }
            c.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        if (executorWait < 1) {
            throw new InvalidInputException("--executor-wait must be >= 1, got " + executorWait);
        }
        return ClusterSession.open(master, appName, c, executorWait);
    }
}
