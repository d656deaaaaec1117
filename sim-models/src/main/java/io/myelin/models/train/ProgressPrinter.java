package io.myelin.models.train;

import java.io.PrintStream;

/**
 * Progress of a run: one line per finished epoch, and on a terminal a bar redrawn after every batch (never written to
 * a file or a pipe, where {@code \r} would join a whole epoch into one line: {@link Terminal}). In a run of several
 * phases every line names its phase ({@code [teacher] }, {@code [student] }), and a line says when each phase starts.
 */
public final class ProgressPrinter implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean bars;

    /** Progress on {@code out}, with bars when it is a terminal. */
    public ProgressPrinter(PrintStream out) {
        this(out, Terminal.isTerminal(out));
    }

    /** @param bars whether to redraw a bar after every batch (a terminal) */
    public ProgressPrinter(PrintStream out, boolean bars) {
        this.out = out;
        this.bars = bars;
    }

    private static String prefix(PhaseRun run) {
        return run.phaseCount() > 1 ? "[" + run.phase().name() + "] " : "";
    }

    @Override
    public void phaseStarted(PhaseRun run) {
        int done = run.progress().epochsDone;
        String resumed = done == 0 ? "" : done >= run.epochs() ? "all " + done + " epochs done"
                : "resuming after epoch " + done + " of " + run.epochs();
        if (run.phaseCount() > 1) {
            out.printf("%sphase %d of %d, %d epochs%s%n", prefix(run), run.phaseIndex() + 1, run.phaseCount(),
                    run.epochs(), resumed.isEmpty() ? "" : ": " + resumed);
        } else if (!resumed.isEmpty()) {
            out.println(resumed);
        }
        out.flush();
    }

    @Override
    public void batchDone(PhaseRun run, int epoch, int batch, int batches, double loss, int correct, int seen,
                          int samples, double seconds) {
        if (!bars) {
            return;
        }
        double rate = seen / seconds;
        int fill = (int) Math.round(WIDTH * (double) batch / batches);
        out.printf("\r%sepoch %d/%d [%s%s] %d/%d loss %.4f acc %.1f%% %.1f samples/s ETA %.0fs ", prefix(run), epoch,
                run.epochs(), "#".repeat(fill), ".".repeat(WIDTH - fill), batch, batches, loss, 100.0 * correct / seen,
                rate, (samples - seen) / Math.max(rate, 1e-9));
        if (batch == batches) {
            out.print("\n");
        }
        out.flush();
    }

    @Override
    public void epochDone(PhaseRun run, EpochResult e) {
        out.printf("%sepoch %d/%d: loss %.4f, train %.2f%%, %stest %.2f%%, %.1f samples/s%s%n", prefix(run), e.epoch(),
                run.epochs(), e.loss(), 100 * e.accuracy(),
                e.valid() != null ? String.format("valid %.2f%%, ", 100 * e.valid().accuracy()) : "",
                100 * e.test().accuracy(), e.samplesPerSecond(), e.best() ? " (best)" : "");
        out.flush();
    }
}
