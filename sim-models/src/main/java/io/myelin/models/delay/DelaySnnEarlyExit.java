package io.myelin.models.delay;

import io.myelin.core.data.BinnedSample;
import io.myelin.core.energy.Accuracy;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.inference.ConfidenceTable;
import io.myelin.core.inference.PolicyRun;
import io.myelin.core.inference.StoppingPolicy;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.tensor.Workers;

import java.util.List;

/**
 * The delay SNN's evaluation under a stopping policy: every sample of a data set runs step by step
 * ({@link DelaySnnStepper}) and leaves as soon as the policy fires, so a stopped sample costs nothing more. Samples
 * are independent (a sample's result does not depend on the others or on the thread count), and the threads take
 * samples as they finish.
 */
public final class DelaySnnEarlyExit {
    private DelaySnnEarlyExit() {
    }

    /**
     * Per-sample outcome and the work done.
     *
     * @param exitSteps   readout steps each sample ran (its exit step)
     * @param lengths     each sample's full length in readout steps (frames + the delays' extension)
     * @param predictions prediction at exit
     * @param labels      true classes
     * @param table       every step's confidence and prediction (a recording run of a full-length policy), else null
     * @param activity    operations up to each exit, summed (the ANN's MACs at full length)
     * @param seconds     wall time
     */
    public record Result(int[] exitSteps, int[] lengths, int[] predictions, int[] labels, ConfidenceTable table,
                         ModelActivity activity, double seconds) {
        public double accuracy() {
            int c = 0;
            for (int i = 0; i < labels.length; i++) {
                c += predictions[i] == labels[i] ? 1 : 0;
            }
            return labels.length == 0 ? 0 : (double) c / labels.length;
        }

        public double meanExitStep() {
            return mean(exitSteps);
        }

        public double meanLength() {
            return mean(lengths);
        }

        private static double mean(int[] a) {
            long s = 0;
            for (int x : a) {
                s += x;
            }
            return a.length == 0 ? 0 : (double) s / a.length;
        }
    }

    /**
     * Runs every sample of {@code data} under {@code policy}.
     *
     * @param record  keep every step's confidence and prediction (the policy should then be full length, so the
     *                table covers every step)
     * @param threads worker threads (results do not depend on them)
     */
    public static Result run(DelaySnn model, BinnedSet data, StoppingPolicy policy, boolean record, int threads) {
        long t0 = System.nanoTime();
        DelaySnnStepper stepper = new DelaySnnStepper(model);
        int n = data.size(), layers = stepper.layers(), classes = model.classes();
        int[] exit = new int[n], length = new int[n], pred = new int[n], labels = new int[n];
        long[][] events = new long[n][layers], spikes = new long[n][layers];
        int[] maxCount = new int[n];
        PolicyRun[] runs = new PolicyRun[n];
        try (Workers w = new Workers(threads)) {
            w.forRange(n, (a, b) -> {
                float[] v = new float[classes];
                for (int i = a; i < b; i++) {
                    BinnedSample s = data.sample(i);
                    int valid = model.outputSteps(Math.max(1, s.frames()));
                    PolicyRun run = record ? policy.startRecording(classes) : policy.start(classes);
                    DelaySnnStepper.Sample st = stepper.newSample();
                    int[] f = s.eventFrame(), ch = s.eventChannel();
                    float[] cnt = s.eventCount();
                    int e = 0;
                    for (int t = 0; t < valid; t++) {
                        int e1 = e;
                        while (e1 < f.length && f[e1] == t) {
                            e1++;
                        }
                        st.step(ch, cnt, e, e1, v, 0);
                        e = e1;
                        if (run.offer(v, 0)) {
                            break;
                        }
                    }
                    exit[i] = run.steps();
                    length[i] = valid;
                    pred[i] = run.prediction();
                    labels[i] = data.label(i);
                    for (int k = 0; k < layers; k++) {
                        events[i][k] = st.inputEvents(k);
                        if (k < model.hiddenLayers()) {
                            spikes[i][k] = st.spikes(k);
                        }
                    }
                    maxCount[i] = st.maxCount();
                    if (record) {
                        runs[i] = run;
                    }
                }
            });
        }
        ConfidenceTable table = null;
        if (record) {
            ConfidenceTable.Builder tb = ConfidenceTable.builder(policy.decoding(), policy.temperature(), classes);
            for (int i = 0; i < n; i++) {
                tb.add(labels[i], runs[i]);
            }
            table = n == 0 ? null : tb.build();
        }
        long[] ops = new long[layers], spk = new long[layers], updates = new long[layers], steps = new long[layers],
                ann = new long[layers];
        int correct = 0, inputBits = 1;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < layers; k++) {
                ops[k] += events[i][k] * stepper.out(k);
                spk[k] += spikes[i][k];
                updates[k] += (long) stepper.out(k) * exit[i];
                steps[k] += exit[i];
                ann[k] += (long) stepper.in(k) * stepper.out(k) * length[i];
            }
            inputBits = Math.max(inputBits, 32 - Integer.numberOfLeadingZeros(Math.max(1, maxCount[i])));
            correct += pred[i] == labels[i] ? 1 : 0;
        }
        ModelActivity activity = new ModelActivity(policy.name(), n + " samples, " + policy.name(),
                model.config().data().frameMs(),
                DelaySnnActivity.layers(model, n, ops, spk, updates, steps, ann, inputBits),
                DelaySnnActivity.modelSize(model), new Accuracy(correct, n), List.of());
        return new Result(exit, length, pred, labels, table, activity, (System.nanoTime() - t0) / 1e9);
    }
}
