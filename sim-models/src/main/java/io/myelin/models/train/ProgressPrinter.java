package io.myelin.models.train;

import java.io.PrintStream;

/**
 * Progress on a console: a bar redrawn after every batch and one line per epoch. An earlier phase's lines are
 * prefixed with its name ({@code [teacher] }).
 */
public final class ProgressPrinter implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;

    public ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    private void printf(PhaseRun run, String format, Object... args) {
        out.printf((run.last() ? "" : "[" + run.phase().name() + "] ") + format, args);
    }

    @Override
    public void batchDone(PhaseRun run, int epoch, int batch, int batches, double loss, int correct, int seen,
                          int samples, double seconds) {
        double rate = seen / seconds;
        int fill = (int) Math.round(WIDTH * (batch + 1.0) / batches);
        printf(run, "\repoch %d/%d [%s%s] %d/%d loss %.4f acc %.1f%% %.1f samples/s ETA %.0fs ", epoch + 1,
                run.epochs(), "#".repeat(fill), ".".repeat(WIDTH - fill), batch + 1, batches, loss, 100.0 * correct / seen, rate,
                (samples - seen) / Math.max(rate, 1e-9));
        if (batch == batches - 1) {
            out.print("\n");
        }
        out.flush();
    }

    @Override
    public void epochDone(PhaseRun run, EpochResult e) {
        printf(run, "epoch %d/%d: loss %.4f, train %.2f%%, %stest %.2f%%, %.1f samples/s%s%n", e.epoch() + 1,
                run.epochs(), e.loss(), 100 * e.accuracy(),
                e.valid() != null ? String.format("valid %.2f%%, ", 100 * e.valid().accuracy()) : "",
                100 * e.test().accuracy(), e.samplesPerSecond(), e.best() ? " (best)" : "");
    }
}
