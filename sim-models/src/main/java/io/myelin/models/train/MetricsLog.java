package io.myelin.models.train;

import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code metrics.jsonl}: rewritten from the checkpoint's lines when a phase starts (a line of an epoch the checkpoint
 * does not hold, torn by a kill, is dropped), then one line appended per epoch.
 */
public final class MetricsLog implements TrainingListener {
    @Override
    public void phaseStarted(PhaseRun run) throws IOException {
        Files.createDirectories(run.store().dir());
        run.store().rewriteMetrics(run.progress().metricLines);
    }

    @Override
    public void epochDone(PhaseRun run, EpochResult e) throws IOException {
        run.store().appendMetrics(e.metricsLine());
    }
}
