package io.myelin.examples;

import io.myelin.core.InvalidInputException;
import io.myelin.examples.cli.BenchCommand;
import io.myelin.examples.cli.DataCommand;
import io.myelin.examples.cli.SimulateCommand;
import io.myelin.examples.cli.SynthCommand;
import io.myelin.examples.cli.ReportCommand;
import io.myelin.examples.cli.TrainCommand;
import io.myelin.examples.cli.EvalCommand;
import io.myelin.examples.cli.NirCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code myelin} command: one entry point for simulation, data tools, training and benchmarks.
 * Each subcommand lives in {@code io.myelin.examples.cli}; this class only wires them and turns user errors into
 * one-line messages (set {@code MYELIN_DEBUG=1} for stack traces).
 */
@Command(name = "myelin", mixinStandardHelpOptions = true, version = "myelin 0.1.0",
        description = "Spiking-neural-network simulator and trainer.",
        subcommands = {TrainCommand.class, EvalCommand.class, BenchCommand.class, DataCommand.class, SimulateCommand.class,
                SynthCommand.class, ReportCommand.class, NirCommand.class})
public final class Myelin implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Myelin());
        cl.setExecutionExceptionHandler(Myelin::handleExecutionException);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (System.getenv("MYELIN_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        if (ex instanceof InvalidInputException) {
            err.println("myelin: error: " + ex.getMessage());
            err.flush();
            return 2;
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("myelin: internal error: " + ex.getClass().getSimpleName() + ": " + msg
                + " (set MYELIN_DEBUG=1 for the stack trace)");
        err.flush();
        return 1;
    }
}
