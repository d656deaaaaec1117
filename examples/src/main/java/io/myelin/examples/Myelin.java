package io.myelin.examples;

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
        cl.setParameterExceptionHandler(Myelin::handleParameterException);
        return cl;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            ErrorReport r = ErrorReport.of(e);
            System.err.println("myelin: " + r.message());
            code = r.exitCode();
        }
        System.exit(code);
    }

    /** A failure while a command runs: one line, exit code 2 for the user's input and 1 for a bug ({@link ErrorReport}). */
    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (System.getenv("MYELIN_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        ErrorReport r = ErrorReport.of(ex);
        err.println("myelin: " + r.message());
        err.flush();
        return r.exitCode();
    }

    /** A mistake on the command line (unknown option, missing or malformed value): one line naming where help is. */
    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String msg = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            msg += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        err.println("myelin: error: " + msg + " (" + cl.getCommandSpec().qualifiedName() + " --help lists the options)");
        err.flush();
        return ErrorReport.USER;
    }
}
