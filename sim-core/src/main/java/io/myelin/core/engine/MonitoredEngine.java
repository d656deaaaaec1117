package io.myelin.core.engine;

import io.myelin.core.monitor.RateMonitor;
import io.myelin.core.monitor.SpikeListener;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;

/**
 * What every engine has alike: the compiled network, its {@link Monitors} and the one {@link OperationCounter}.
 * The engines themselves only advance time and report spikes, state and counts into these.
 */
abstract class MonitoredEngine implements Engine {
    /** Replaced (same structure, other source spikes) by {@link #reset(java.util.List)}. */
    CompiledNetwork net;
    final Monitors monitors;
    final OperationCounter counter;

    /** @param exactSpikeTimes whether spike monitors record exact times (else the step of each spike) */
    MonitoredEngine(CompiledNetwork net, boolean exactSpikeTimes) {
        this.net = net;
        this.monitors = new Monitors(net, exactSpikeTimes);
        this.counter = new OperationCounter(net);
    }

    @Override
    public final CompiledNetwork network() {
        return net;
    }

    @Override
    public final SpikeMonitor recordSpikes(String group, int[] subset) {
        return monitors.recordSpikes(group, subset);
    }

    @Override
    public final RateMonitor recordRate(String group) {
        return monitors.recordRate(group);
    }

    @Override
    public final StateMonitor recordState(String population, int[] neurons, int everySteps) {
        return monitors.recordState(population, neurons, everySteps);
    }

    @Override
    public final void addSpikeListener(SpikeListener l) {
        monitors.addSpikeListener(l);
    }

    /** Removes a spike listener added before; with none left, the engine need not hand spikes out per step. */
    @Override
    public final void removeSpikeListener(SpikeListener l) {
        monitors.removeSpikeListener(l);
    }
}
