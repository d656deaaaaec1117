package io.myelin.models.train;

import io.myelin.models.data.DataConfig;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress redraws a bar on a terminal and prints one line per epoch elsewhere (a file, a pipe). */
class ProgressPrinterTest {
    static String progress(boolean bars, Path out) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DelaySnnConfig cfg = new DelaySnnConfig("progress", new DataConfig(10.0, 5, 0, 0),
                new DelaySnnConfig.Model(java.util.List.of(6, 6), "learned", 5, 10.05, 1.0, 5.0, 0.4, 3.0, 0.23),
                new DelaySnnConfig.Training(2, 100, 1, 5e-3, 1e-5, 0.1, 1)).validate("test");
        TrainingFiles files = new TrainingFiles(RepositoryFiles.testData("synth_train.h5"), null,
                RepositoryFiles.testData("synth_test.h5"));
        new Trainer(cfg, files, out, null)
                .listen(new ProgressPrinter(new PrintStream(b, true), bars)).train();
        return b.toString();
    }

    @Test
    void linesOffATerminalBarsOnOne(@TempDir Path tmp) {
        String lines = progress(false, tmp.resolve("lines"));
        assertFalse(lines.contains("\r"), lines);
        assertEquals(2, lines.lines().count(), lines);
        assertTrue(lines.startsWith("epoch 1/2: loss ") && lines.contains("\nepoch 2/2: loss "), lines);
        String bars = progress(true, tmp.resolve("bars"));
        assertTrue(bars.contains("\repoch 1/2 [") && bars.contains("ETA"), bars);
    }
}
