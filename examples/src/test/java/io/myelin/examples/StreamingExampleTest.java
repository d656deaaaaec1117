package io.myelin.examples;

import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.inference.Decision;
import io.myelin.core.inference.Decoding;
import io.myelin.core.inference.DynamicConfidence;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.delay.DelaySnnEarlyExit;
import io.myelin.models.delay.DelaySnnStream;
import io.myelin.models.train.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming example of README.md, verbatim between the markers, must compile, run on a trained model fed a test
 * sample's frames one by one, and decide as the early-exit evaluation does for that sample.
 */
class StreamingExampleTest {
    @Test
    void readmeStreamingExampleRunsAndDecidesAsTheEvaluation(@TempDir Path dir) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(repo.resolve("test-data"))) {
            repo = repo.getParent();
        }
        String cfg = Files.readString(repo.resolve("examples/configs/shd-delays.json")).replace("[256, 256]", "[16, 16]")
                .replace("\"epochs\": 150", "\"epochs\": 2").replace("\"batch\": 256", "\"batch\": 50");
        Files.writeString(dir.resolve("c.json"), cfg);
        Path run = dir.resolve("run");
        Path testFile = repo.resolve("test-data/sd_mini_test.h5");
        int code = Myelin.commandLine().execute("train", "--config", dir.resolve("c.json").toString(), "--train",
                repo.resolve("test-data/sd_mini_train.h5").toString(), "--test", testFile.toString(), "--out",
                run.toString(), "--quiet", "--no-report");
        assertEquals(0, code);
        SpikeDataset ds = Hdf5SpikeDataset.open(testFile);
        DelaySnn trained = RunStore.of(run).loadModel(DelaySnn.class);
        BinnedSet set = new BinnedSet(ds, trained.config().data().binner());
        var reference = DelaySnnEarlyExit.run(trained, set, new DynamicConfidence(0.65, 2, Decoding.SOFTMAX_SUM), false, 1);
        for (int sample = 0; sample < 5; sample++) {
            List<int[]> frames = frames(ds, sample, trained.config().data().binner());
            java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
            java.io.PrintStream original = System.out;
            System.setOut(new java.io.PrintStream(captured, true));
            Decision d;
            try {
                d = example(run, frames);
            } finally {
                System.setOut(original);
            }
            assertEquals(reference.exitSteps()[sample], d.step(), "sample " + sample);
            assertEquals(reference.predictions()[sample], d.label(), "sample " + sample);
            assertTrue(captured.toString().startsWith("class " + d.label() + ", confidence "), captured.toString());
        }
        String readme = Files.readString(repo.resolve("README.md"));
        String source = Files.readString(Path.of("src/test/java/io/myelin/examples/StreamingExampleTest.java"));
        String begin = "// README-STREAM-" + "BEGIN", end = "// README-STREAM-" + "END";
        String block = source.substring(source.lastIndexOf(begin) + begin.length(), source.lastIndexOf(end));
        for (String line : block.strip().split("\n")) {
            assertTrue(readme.contains(line.strip()), "README.md must show the example line: " + line.strip());
        }
    }

    /** Sample {@code i}'s spikes as frames of raw channel numbers, as a live source would deliver them. */
    private static List<int[]> frames(SpikeDataset ds, int i, FrameBinner binner) {
        float[] t = ds.timesSeconds(i);
        int[] u = ds.units(i);
        List<int[]> frames = new ArrayList<>();
        int k = 0;
        for (int f = 0; k < t.length; f++) {
            int from = k;
            while (k < t.length && binner.frameOf(t[k]) == f) {
                k++;
            }
            frames.add(java.util.Arrays.copyOfRange(u, from, k));
        }
        return frames;
    }

    private static Decision example(Path run, List<int[]> frames) {
        // README-STREAM-BEGIN
        DelaySnn model = RunStore.of(run).loadModel(DelaySnn.class);          // a trained run, e.g. runs/synth-delays
        DelaySnnStream stream = new DelaySnnStream(model, new DynamicConfidence(0.65, 2, Decoding.SOFTMAX_SUM));
        Decision d = stream.decision();
        for (int[] frame : frames) {                    // each 10 ms frame: the channels (0..699) of its spikes
            d = stream.pushSpikes(frame);
            if (d.decided()) {
                break;                                  // confident: answer now, skip the rest of the input
            }
        }
        d = stream.end();                               // the input is over (no more work if already decided)
        System.out.printf("class %d, confidence %.2f, after %d steps%n", d.label(), d.confidence(), d.step());
        // README-STREAM-END
        return d;
    }
}
