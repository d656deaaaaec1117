package io.myelin.core.engine;

import cern.jet.random.engine.MersenneTwister;
import cern.jet.random.engine.RandomEngine;
import io.myelin.core.model.SourceSpec;

/**
 * Decides, step by step, which spike-source neurons fire: explicit spike times are bucketed into steps
 * ({@code floor(t / dt)}), Poisson sources draw from a stream seeded by the network seed. Runs on the host for
 * every backend, so all backends see the same input spikes.
 */
public final class SpikeSchedule {
    private final CompiledNetwork net;
    private final Explicit[] explicit;
    private final PoissonStream[] poisson;

    public SpikeSchedule(CompiledNetwork net) {
        this.net = net;
        int n = net.sources.size();
        explicit = new Explicit[n];
        poisson = new PoissonStream[n];
        for (CompiledNetwork.SourceLayout l : net.sources) {
            SourceSpec s = net.spec.sources().get(l.index());
            if (s instanceof SourceSpec.SpikeTimes) {
                explicit[l.index()] = new Explicit(net.stepped[l.index()]);
            } else if (s instanceof SourceSpec.Poisson p) {
                poisson[l.index()] = new PoissonStream(p, l.offset(), net.dtMs,
                        NetworkCompiler.streamSeed(net.spec.seed(), 2_000_000L + l.index()));
            }
        }
    }

    /** The step in which a spike at {@code timeMs} is emitted; the small epsilon keeps 0.3/0.1 in step 3. */
    public static long stepOf(double timeMs, double dtMs) {
        double q = timeMs / dtMs + 1e-9;
        // truncation is floor for q >= 0 (spike times are >= 0), and much cheaper than Math.floor here
        return q >= 0 ? (long) q : (long) Math.floor(q);
    }

    /** Rewinds every source to step 0 (same spikes again). */
    public void reset() {
        for (Explicit e : explicit) {
            if (e != null) {
                e.cursor = 0;
            }
        }
        for (PoissonStream p : poisson) {
            if (p != null) {
                p.reset();
            }
        }
    }

    /**
     * Appends the global indices of the source spikes of {@code step} to {@code out} (growing it if needed).
     * Steps must be asked for in increasing order.
     */
    public IntList emit(long step, IntList out) {
        out.clear();
        for (int i = 0; i < explicit.length; i++) {
            if (explicit[i] != null) {
                explicit[i].emit(step, out);
            } else if (poisson[i] != null) {
                poisson[i].emit(step, out);
            }
        }
        return out;
    }

    /** Receives the spikes of a range of steps ({@link #emitRange}). */
    interface Sink {
        /** A spike of global index {@code neuron} in step {@code from + offset}. */
        void spike(int offset, int neuron);
    }

    /**
     * The spikes of steps {@code [from, from + n)} into {@code sink}, source by source rather than step by step (so
     * not in {@link #emit}'s order within a step), where every source has explicit spike times; with a Poisson source
     * nothing is emitted and the answer is false. Steps must be asked for in increasing order, as with {@link #emit}.
     */
    boolean emitRange(long from, int n, Sink sink) {
        for (PoissonStream p : poisson) {
            if (p != null) {
                return false;
            }
        }
        long end = from + n;
        for (Explicit e : explicit) {
            if (e == null) {
                continue;
            }
            long[] st = e.step;
            int[] local = e.local;
            int k = e.cursor, offset = e.offset;
            while (k < st.length && st[k] < from) {
                k++;
            }
            for (; k < st.length && st[k] < end; k++) {
                sink.spike((int) (st[k] - from), offset + local[k]);
            }
            e.cursor = k;
        }
        return true;
    }

    public boolean hasSources() {
        return net.sources.size() > 0;
    }

    /** A spike-times source's cursor over its spikes, converted to steps once per network ({@link SteppedSpikes}). */
    private static final class Explicit {
        final long[] step;
        final int[] local;
        final int offset;
        int cursor;

        Explicit(SteppedSpikes spikes) {
            this.step = spikes.step;
            this.local = spikes.local;
            this.offset = spikes.offset;
        }

        void emit(long s, IntList out) {
            while (cursor < step.length && step[cursor] < s) {
                cursor++;
            }
            while (cursor < step.length && step[cursor] == s) {
                out.add(offset + local[cursor++]);
            }
        }
    }

    private static final class PoissonStream {
        final int offset, size, seed;
        final double p;
        final double logQ;
        RandomEngine rng;
        long next; // flattened index step * size + neuron of the next spike

        PoissonStream(SourceSpec.Poisson spec, int offset, double dtMs, int seed) {
            this.offset = offset;
            this.size = spec.size();
            this.seed = seed;
            this.p = Math.min(1.0, spec.rateHz() * dtMs / 1000.0);
            this.logQ = Math.log1p(-p);
            reset();
        }

        void reset() {
            rng = new MersenneTwister(seed);
            next = -1;
            advance();
        }

        private void advance() {
            if (p <= 0) {
                next = Long.MAX_VALUE;
            } else if (p >= 1) {
                next++;
            } else {
                next += 1 + (long) Math.floor(Math.log(1 - rng.raw()) / logQ);
            }
        }

        void emit(long s, IntList out) {
            long end = (s + 1) * size;
            while (next < s * (long) size) {
                advance();
            }
            while (next < end) {
                out.add(offset + (int) (next - s * size));
                advance();
            }
        }
    }
}
