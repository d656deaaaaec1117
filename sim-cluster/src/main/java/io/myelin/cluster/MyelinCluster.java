package io.myelin.cluster;

import io.myelin.cluster.cli.EvalCommand;
import io.myelin.cluster.cli.SweepCommand;
import io.myelin.cluster.cli.TrainCommand;
import io.myelin.core.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code myelin-cluster} command: Myelin's training and evaluation on Apache Spark, embedded ({@code local[N]}),
 * on a standalone cluster or through {@code spark-submit}. Errors are one line ({@code MYELIN_DEBUG=1}: stack traces).
 */
@Command(name = "myelin-cluster", mixinStandardHelpOptions = true, version = "myelin-cluster 0.1.0",
        description = "Myelin on Apache Spark: seed and ablation sweeps, distributed evaluation, data-parallel training.",
        subcommands = {SweepCommand.class, EvalCommand.class, TrainCommand.class})
public final class MyelinCluster implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MyelinCluster());
        cl.setExecutionExceptionHandler(MyelinCluster::handle);
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        System.exit(commandLine().execute(args));
    }

    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (System.getenv("MYELIN_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        if (ex instanceof InvalidInputException) {
            err.println("myelin-cluster: error: " + ex.getMessage());
            err.flush();
            return 2;
        }
        err.println("myelin-cluster: error: " + SparkFailures.message(ex) + " (" + ex.getClass().getSimpleName()
                + "; set MYELIN_DEBUG=1 for the stack trace)");
        err.flush();
        return 1;
    }

    /**
     * Refuses, in one line, a JVM started without the module options Spark needs (it fails deep inside otherwise).
     */
    public static void checkJvmOptions() {
        Module me = MyelinCluster.class.getModule();
        if (!Object.class.getModule().isOpen("java.nio", me) || !Object.class.getModule().isOpen("sun.nio.ch", me)) {
            throw new InvalidInputException("Spark needs the JVM options of sim-cluster/spark-java17.args: run java"
                    + " --add-modules jdk.incubator.vector @sim-cluster/spark-java17.args -jar"
                    + " sim-cluster/target/myelin-cluster.jar ..., or spark-submit");
        }
    }
}
