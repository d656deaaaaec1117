package io.myelin.cluster;

import io.myelin.core.InvalidInputException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark application for one command: embedded ({@code local[N]}), on a standalone master ({@code spark://HOST:PORT})
 * or wherever {@code spark-submit} put it (YARN, Kubernetes: the master then comes from {@code spark.master}).
 *
 * <p>Failures are said in one line and in seconds rather than by a hang: a standalone master that does not accept a
 * connection is reported before Spark starts, and a cluster that gives the application no executor within the wait is
 * reported as such. {@code local[N]} runs with the retries a cluster gives a task ({@code local[N,4]}), so a failed
 * run is retried there too and resumes from its checkpoint.
 */
public final class ClusterSession implements AutoCloseable {
    /** Attempts per task, Spark's default on clusters. */
    public static final int TASK_ATTEMPTS = 4;
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(,\\s*\\d+)?])?");
    private static final int CONNECT_TIMEOUT_MS = 3000;

    private final JavaSparkContext sc;
    private final String master;

    private ClusterSession(JavaSparkContext sc, String master) {
        this.sc = sc;
        this.master = master;
    }

    /**
     * Starts the application.
     *
     * @param master         {@code local[N]}, {@code spark://HOST:PORT[,HOST:PORT]}, any master Spark knows, or null
     *                       for the one spark-submit set
     * @param conf           further Spark settings ({@code spark.executor.memory=4g})
     * @param executorWaitS  seconds to wait for the first executor of a cluster
     */
    public static ClusterSession open(String master, String appName, Map<String, String> conf, int executorWaitS) {
        SparkConf sparkConf = new SparkConf();
        String m = master != null ? master : sparkConf.get("spark.master", null);
        if (m == null || m.isBlank()) {
            throw new InvalidInputException("--master is required: local[N] (this machine, N cores), spark://HOST:PORT"
                    + " (a standalone cluster), or run the jar through spark-submit");
        }
        m = m.trim();
        boolean local = LOCAL.matcher(m).matches();
        if (local) {
            m = withRetries(m);
        } else if (m.startsWith("spark://")) {
            checkReachable(m);
        } else if (!m.startsWith("yarn") && !m.startsWith("k8s://") && !m.startsWith("local-cluster")) {
            throw new InvalidInputException("--master must be local[N], spark://HOST:PORT, yarn or k8s://URL; got '"
                    + m + "'");
        }
        sparkConf.setMaster(m).setAppName(appName);
        setIfAbsent(sparkConf, "spark.ui.enabled", "false");
        if (local || loopbackMaster(m)) {
            // tests and one-machine clusters: the driver binds to loopback, as the master does
            setIfAbsent(sparkConf, "spark.driver.host", "127.0.0.1");
            setIfAbsent(sparkConf, "spark.driver.bindAddress", "127.0.0.1");
        }
        if (!local && !sparkConf.contains("spark.jars")) {
            String jar = applicationJar();
            if (jar != null) {
                sparkConf.set("spark.jars", jar);
            }
        }
        conf.forEach(sparkConf::set);
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(sparkConf);
        } catch (RuntimeException e) {
            throw new InvalidInputException("cannot start Spark on " + m + ": " + SparkFailures.message(e));
        }
        ClusterSession s = new ClusterSession(sc, m);
        if (!local) {
            s.awaitExecutor(executorWaitS);
        }
        return s;
    }

    public JavaSparkContext context() {
        return sc;
    }

    public String master() {
        return master;
    }

    /** Task slots: cores over all executors (Spark's default parallelism). */
    public int slots() {
        return sc.defaultParallelism();
    }

    private void awaitExecutor(int waitS) {
        long deadline = System.nanoTime() + waitS * 1_000_000_000L;
        while (sc.sc().getExecutorMemoryStatus().size() < 2) {
            if (System.nanoTime() > deadline || sc.sc().isStopped()) {
                String memory = sc.getConf().get("spark.executor.memory", "1g");
                close();
                throw new InvalidInputException("no executor of " + master + " registered within " + waitS
                        + " s: the cluster has no worker with free cores and " + memory
                        + " of memory for this application (--conf spark.executor.memory=...), or its workers cannot"
                        + " reach this driver");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InvalidInputException("interrupted while waiting for executors of " + master);
            }
        }
    }

    @Override
    public void close() {
        sc.close();
    }

    /** {@code local[N]} with the task attempts of a cluster (an explicit {@code local[N,F]} is kept). */
    static String withRetries(String m) {
        Matcher x = LOCAL.matcher(m);
        if (!x.matches() || x.group(3) != null) {
            return m;
        }
        String n = x.group(2) == null ? "1" : x.group(2);
        return "local[" + n + "," + TASK_ATTEMPTS + "]";
    }

    /** The hosts and ports of a standalone master URL (several for a master with standby masters). */
    static List<InetSocketAddress> addresses(String m) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hp : m.substring("spark://".length()).split(",")) {
            int colon = hp.lastIndexOf(':');
            try {
                int port = colon < 0 ? 7077 : Integer.parseInt(hp.substring(colon + 1).trim());
                out.add(InetSocketAddress.createUnresolved(colon < 0 ? hp.trim() : hp.substring(0, colon).trim(), port));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--master " + m + ": '" + hp + "' is not HOST:PORT");
            }
        }
        return out;
    }

    /** Refuses a standalone master none of whose addresses accepts a connection within seconds. */
    static void checkReachable(String m) {
        List<String> problems = new ArrayList<>();
        for (InetSocketAddress a : addresses(m)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                problems.add(a.getHostString() + ":" + a.getPort() + " (" + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        throw new InvalidInputException("cannot reach the Spark master " + m + ": " + String.join(", ", problems)
                + "; is it running, and is --master the URL its log shows?");
    }

    private static boolean loopbackMaster(String m) {
        if (!m.startsWith("spark://")) {
            return false;
        }
        for (InetSocketAddress a : addresses(m)) {
            try {
                if (!InetAddress.getByName(a.getHostString()).isLoopbackAddress()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static void setIfAbsent(SparkConf c, String key, String value) {
        if (!c.contains(key)) {
            c.set(key, value);
        }
    }

    /** The jar this code runs from, for executors to fetch (null when run from class directories: tests). */
    private static String applicationJar() {
        try {
            Path p = Path.of(ClusterSession.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p.toAbsolutePath().toString() : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
