package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.SourceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.myelin.core.engine.LayeredExecutionTest.input;
import static io.myelin.core.engine.LayeredExecutionTest.network;
import static io.myelin.core.engine.LayeredExecutionTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spikes prepared once ({@link PreparedSpikes}) run exactly as the spike times they were prepared from, in every engine
 * and execution, reused by other engines and in any order; misuse is refused with one message.
 */
class PreparedSpikesTest {
    private static final int STEPS = 300;

    @Test
    void preparedSpikesRunExactlyAsAFreshCompileWithTheirSpikeTimes() {
        NetworkSpec spec = network(7);
        SourceSpec.SpikeTimes[] inputs = {input(20), input(21), input(22)};
        // the second source sits at another global offset than the first: prepared once, placed by each network
        SourceSpec.SpikeTimes bias = new SourceSpec.SpikeTimes("bias", 1, new int[]{0, 0, 0, 0}, new double[]{1, 2, 2, 50});
        PreparedSpikes[] prepared = new PreparedSpikes[inputs.length];
        PreparedSpikes preparedBias;
        try (Engine preparer = Engines.create(spec, Engines.CLOCK)) {
            for (int k = 0; k < inputs.length; k++) {
                prepared[k] = preparer.prepare(inputs[k]);
                assertEquals(inputs[k].neurons().length, prepared[k].spikes());
            }
            preparedBias = preparer.prepare(bias);
        }
        for (String name : Engines.names()) {
            for (ExecutionStrategy ex : new ExecutionStrategy[]{ExecutionStrategy.STEPWISE, ExecutionStrategy.LAYERED}) {
                try (Engine reused = LayeredExecutionTest.engine(spec, name, ex)) {
                    // twice over, in reverse the second time: nothing of a run stays in the prepared spikes
                    for (int pass = 0; pass < 2; pass++) {
                        for (int q = 0; q < inputs.length; q++) {
                            int k = pass == 0 ? q : inputs.length - 1 - q;
                            reused.resetPrepared(List.of(prepared[k], preparedBias));
                            var again = run(reused, STEPS);
                            NetworkSpec fresh = withSources(network(7, inputs[k].neurons(), inputs[k].timesMs()), bias);
                            try (Engine f = LayeredExecutionTest.engine(fresh, name, ExecutionStrategy.STEPWISE)) {
                                run(f, STEPS).assertSame(again, name + " " + ex + " input " + k + " pass " + pass);
                            }
                            assertEquals(CompiledNetwork.compile(fresh).scale, reused.network().scale,
                                    "the scale a fresh compile chooses");
                        }
                    }
                }
            }
        }
    }

    @Test
    void spikesPreparedForAnotherStepOrSourceAreRefused() {
        NetworkSpec spec = network(7);
        NetworkSpec halfStep = new NetworkSpec(0.5, spec.seed(), spec.populations(), spec.sources(), spec.projections());
        try (Engine e = Engines.create(spec, Engines.CLOCK); Engine h = Engines.create(halfStep, Engines.CLOCK)) {
            PreparedSpikes other = h.prepare(input(3));
            InvalidInputException dt = assertThrows(InvalidInputException.class, () -> e.resetPrepared(List.of(other)));
            assertTrue(dt.getMessage().contains("prepared for a step of 0.5 ms") && dt.getMessage().contains("1.0 ms"),
                    dt.getMessage());
            SourceSpec.SpikeTimes unknown = new SourceSpec.SpikeTimes("nope", 20, new int[]{1}, new double[]{1});
            assertTrue(assertThrows(InvalidInputException.class, () -> e.prepare(unknown)).getMessage()
                    .contains("no spike-times source named 'nope'"));
            SourceSpec.SpikeTimes wrongSize = new SourceSpec.SpikeTimes("in", 21, new int[]{1}, new double[]{1});
            assertTrue(assertThrows(InvalidInputException.class, () -> e.prepare(wrongSize)).getMessage()
                    .contains("has 20 neurons; its replacement has 21"));
            SourceSpec.SpikeTimes badTime = new SourceSpec.SpikeTimes("in", 20, new int[]{1}, new double[]{-1});
            assertTrue(assertThrows(InvalidInputException.class, () -> e.prepare(badTime)).getMessage()
                    .contains("must be finite and >= 0"));
        }
    }

    private static NetworkSpec withSources(NetworkSpec spec, SourceSpec.SpikeTimes replacement) {
        List<SourceSpec> sources = new java.util.ArrayList<>(spec.sources());
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).name().equals(replacement.name())) {
                sources.set(i, replacement);
            }
        }
        return new NetworkSpec(spec.dtMs(), spec.seed(), spec.populations(), sources, spec.projections());
    }
}
