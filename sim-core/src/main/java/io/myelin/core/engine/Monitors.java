package io.myelin.core.engine;

import io.myelin.core.monitor.RateMonitor;
import io.myelin.core.monitor.SpikeListener;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import io.myelin.core.monitor.StateSource;
import io.myelin.core.monitor.TimedSpikeListener;

import java.util.ArrayList;
import java.util.List;

/**
 * The monitors and listeners attached to one engine, and how spikes and state samples reach them. Both engines keep
 * theirs here, so a monitor records the same thing whichever engine runs.
 */
final class Monitors {
    private final CompiledNetwork net;
    private final boolean exactSpikeTimes;
    private final List<TimedSpikeListener> timedListeners = new ArrayList<>();
    private final List<SpikeListener> stepListeners = new ArrayList<>();
    private final List<StateMonitor> stateMonitors = new ArrayList<>();

    /**
     * @param exactSpikeTimes spike monitors record exact times (the event engine's continuous mode) rather than steps
     */
    Monitors(CompiledNetwork net, boolean exactSpikeTimes) {
        this.net = net;
        this.exactSpikeTimes = exactSpikeTimes;
    }

    SpikeMonitor recordSpikes(String group, int[] subset) {
        CompiledNetwork.Group g = net.group(group);
        SpikeMonitor m = new SpikeMonitor(g.name(), g.offset(), g.size(), subset, net.dtMs);
        if (exactSpikeTimes) {
            timedListeners.add(m);
        } else {
            stepListeners.add(m);
        }
        return m;
    }

    RateMonitor recordRate(String group) {
        CompiledNetwork.Group g = net.group(group);
        RateMonitor m = new RateMonitor(g.name(), g.offset(), g.size(), net.dtMs);
        stepListeners.add(m);
        return m;
    }

    StateMonitor recordState(String population, int[] neurons, int everySteps) {
        CompiledNetwork.PopulationLayout p = net.population(population);
        StateMonitor m = new StateMonitor(p.name(), p.offset(), p.size(), neurons, everySteps, net.dtMs);
        stateMonitors.add(m);
        return m;
    }

    void addSpikeListener(SpikeListener l) {
        stepListeners.add(l);
    }

    void removeSpikeListener(SpikeListener l) {
        stepListeners.remove(l);
    }

    void addTimedSpikeListener(TimedSpikeListener l) {
        timedListeners.add(l);
    }

    /** Whether anyone listens to spikes per step (if not, the clock engine need not copy them off its backend). */
    boolean wantStepSpikes() {
        return !stepListeners.isEmpty();
    }

    /** Whether anyone listens to spikes at all, per step or with their times. */
    boolean wantAnySpikes() {
        return !stepListeners.isEmpty() || !timedListeners.isEmpty();
    }

    boolean wantStates() {
        return !stateMonitors.isEmpty();
    }

    /** Whether a state monitor records neurons of this population. */
    boolean wantStates(String population) {
        for (StateMonitor m : stateMonitors) {
            if (m.population().equals(population)) {
                return true;
            }
        }
        return false;
    }

    /** The spikes of step {@code step}. */
    void spikes(long step, int[] spikes, int count) {
        for (SpikeListener l : stepListeners) {
            l.onSpikes(step, spikes, count);
        }
    }

    /** The spikes of one instant at an exact time, inside step {@code step}: to the timed listeners, then per step. */
    void spikesAt(double timeMs, long step, int[] spikes, int count) {
        for (TimedSpikeListener l : timedListeners) {
            l.onSpikesAt(timeMs, step, spikes, count);
        }
        spikes(step, spikes, count);
    }

    /** Lets every state monitor sample the state after step {@code step}. */
    void sampleStates(long step, StateSource source) {
        for (StateMonitor m : stateMonitors) {
            m.sample(step, source);
        }
    }
}
