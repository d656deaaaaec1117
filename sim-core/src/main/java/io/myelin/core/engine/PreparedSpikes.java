package io.myelin.core.engine;

import io.myelin.core.model.SourceSpec;

/**
 * A spike-times source's spikes checked and put on a network's step grid once, for many runs: a test set that goes
 * through one network again and again (benchmarks, agreement checks, sweeps over engines) pays the validation and the
 * conversion of times into steps once per sample instead of once per run, as a batched evaluation bins its data once
 * when it is loaded. Made by {@link CompiledNetwork#prepare} or {@link Engine#prepare}; used by
 * {@link Engine#resetPrepared} and {@link CompiledNetwork#withPreparedSpikes}, which give exactly the run of
 * {@link Engine#reset(java.util.List)} with {@link #source()}. Valid for every network with the same step (dt, ms) and
 * a spike-times source of the same name and size; any other use is refused. Immutable; may be shared by threads.
 */
public final class PreparedSpikes {
    private final SourceSpec.SpikeTimes source;
    private final double dtMs;
    final SteppedSpikes stepped;

    PreparedSpikes(SourceSpec.SpikeTimes source, double dtMs, SteppedSpikes stepped) {
        this.source = source;
        this.dtMs = dtMs;
        this.stepped = stepped;
    }

    /** The spikes these were prepared from. */
    public SourceSpec.SpikeTimes source() {
        return source;
    }

    /** The step (ms) of the grid the spikes were put on. */
    public double dtMs() {
        return dtMs;
    }

    /** Spikes prepared. */
    public int spikes() {
        return source.neurons().length;
    }
}
