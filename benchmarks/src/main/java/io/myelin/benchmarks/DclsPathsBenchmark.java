package io.myelin.benchmarks;

import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.dcls.DclsPathChooser;
import io.myelin.models.layer.dcls.ForwardPath;
import io.myelin.models.layer.dcls.InputGradientPath;
import io.myelin.models.layer.dcls.KernelGradientPath;
import io.myelin.models.tensor.SeqTensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Each way of computing the DCLS layer's sums (docs/dcls.md) on the first hidden layer of the SHD recipe: 140 pooled
 * input channels, 256 outputs, 25 taps, 100 frames x 32 samples, 5 % of the inputs non-zero spike counts. {@code sig}
 * 12 is the wide window of the first epoch, 0.23 the narrow one after annealing: the two ends of the cost model in
 * {@link DclsPathChooser}. The forks run with the Vector API, which the {@code WINDOWED} paths need.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class DclsPathsBenchmark {
    static final int IN = 140, OUT = 256, TAPS = 25, STEPS = 100, BATCH = 32;
    static final double DENSITY = 0.05;

    /** A layer and a batch of spike counts. */
    @State(Scope.Thread)
    public abstract static class Layer {
        @Param({"12.0", "0.23"})
        public double sig;

        DclsDelayedDense layer;
        SeqTensor input, gradOut;

        void build(DclsPathChooser chooser) {
            layer = new DclsDelayedDense("hidden1", IN, OUT, TAPS, DclsDelayedDense.DelayMode.LEARNED, 3, 1);
            layer.setSig(sig);
            layer.setPathChooser(chooser);
            Random rng = new Random(1);
            float[] x = new float[STEPS * BATCH * IN];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextDouble() < DENSITY ? 1 + rng.nextInt(3) : 0;
            }
            input = new SeqTensor(STEPS, BATCH, IN, x);
            float[] g = new float[(STEPS + (TAPS - 1) / 2) * BATCH * OUT];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextGaussian();
            }
            gradOut = new SeqTensor(STEPS + (TAPS - 1) / 2, BATCH, OUT, g);
        }
    }

    /** One forced forward path. */
    public static class Forward extends Layer {
        @Param({"WINDOWED", "FEATURE_MAJOR", "TAP_ROW_SCATTER", "SYNAPSE_SCATTER", "EVENT_TAP_ROWS", "BLOCKED",
                "EVENT_WINDOWS"})
        public ForwardPath path;

        @Setup(Level.Trial)
        public void setUp() {
            build(DclsPathChooser.byCost().with(path));
        }
    }

    /** The cost model's forward path, forced gradient paths. */
    public static class Backward extends Layer {
        @Param({"TAP_ROWS", "SYNAPSE_GATHER"})
        public KernelGradientPath kernelGradient;

        @Param({"WINDOWED", "SHIFTED_ROWS"})
        public InputGradientPath inputGradient;

        @Setup(Level.Trial)
        public void setUp() {
            build(DclsPathChooser.byCost().with(kernelGradient).with(inputGradient));
        }
    }

    /**
     * The SHD recipe's readout at the floor sigma (256 hidden neurons' spikes, 6.5 % of them non-zero, into 20
     * outputs, 64 samples): the narrow layer whose tap rows are three vectors each, for which the chooser takes the
     * event windows or the blocked sums.
     */
    @State(Scope.Thread)
    public static class Readout {
        static final int READOUT_IN = 256, READOUT_OUT = 20, READOUT_BATCH = 64;

        @Param({"EVENT_WINDOWS", "BLOCKED", "EVENT_TAP_ROWS"})
        public ForwardPath path;

        DclsDelayedDense layer;
        SeqTensor input;

        @Setup(Level.Trial)
        public void setUp() {
            layer = new DclsDelayedDense("readout", READOUT_IN, READOUT_OUT, TAPS, DclsDelayedDense.DelayMode.LEARNED,
                    3, 1);
            layer.setSig(0.23);
            layer.setPathChooser(DclsPathChooser.byCost().with(path));
            Random rng = new Random(2);
            float[] x = new float[STEPS * READOUT_BATCH * READOUT_IN];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextDouble() < 0.065 ? 1 : 0;
            }
            input = new SeqTensor(STEPS, READOUT_BATCH, READOUT_IN, x);
        }
    }

    @Benchmark
    public SeqTensor readoutForward(Readout s) {
        return s.layer.forward(s.input, true);
    }

    @Benchmark
    public SeqTensor forward(Forward s) {
        return s.layer.forward(s.input, true);
    }

    /** A training pass of the layer: forward, then both gradients. */
    @Benchmark
    public SeqTensor forwardBackward(Backward s) {
        s.layer.forward(s.input, true);
        return s.layer.backward(s.gradOut);
    }
}
