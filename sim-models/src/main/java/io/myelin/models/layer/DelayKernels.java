package io.myelin.models.layer;

import io.myelin.models.module.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * The DCLS delay layers of a network, in tree order, and the schedules the SNN-delays recipe applies to them: the
 * positions clamped into the window after every optimizer step and SIG annealed over the first quarter of the
 * epochs (Hammouamri et al. 2023).
 */
public final class DelayKernels {
    private final List<DclsDelayedDense> layers;

    private DelayKernels(List<DclsDelayedDense> layers) {
        this.layers = layers;
    }

    /** The delay layers of {@code network} (none without delays). */
    public static DelayKernels of(Module network) {
        List<DclsDelayedDense> l = new ArrayList<>();
        for (DelayedLayer d : network.modules(DelayedLayer.class)) {
            l.add(d.delays());
        }
        return new DelayKernels(List.copyOf(l));
    }

    public List<DclsDelayedDense> layers() {
        return layers;
    }

    /** Clamps the learned positions into the window (fixed ones never move). */
    public void clampPositions() {
        for (DclsDelayedDense d : layers) {
            if (d.mode() == DclsDelayedDense.DelayMode.LEARNED) {
                d.clampPositions();
            }
        }
    }

    /**
     * The sigma schedule, called at the end of epoch {@code epoch} (0-based): for the first {@code epochs / 4} epochs
     * (at least one) every layer's SIG is multiplied by {@code (sigFinal / sigInit)^(1 / (epochs / 4))}, so it runs
     * from {@code sigInit} to {@code sigFinal}.
     */
    public void annealSigma(int epoch, int epochs, double sigInit, double sigFinal) {
        int finalEpoch = Math.max(1, epochs / 4);
        if (epoch >= finalEpoch) {
            return;
        }
        double factor = Math.pow(sigFinal / sigInit, 1.0 / finalEpoch);
        for (DclsDelayedDense d : layers) {
            d.setSig(d.sig() * factor);
        }
    }

    /** The SIG of the first learned delay layer (NaN without learned delays). */
    public double sig() {
        for (DclsDelayedDense d : layers) {
            if (d.mode() == DclsDelayedDense.DelayMode.LEARNED) {
                return d.sig();
            }
        }
        return Double.NaN;
    }

    /** Sets every layer's SIG (benchmarks hold it at one value). */
    public void setSig(double sig) {
        for (DclsDelayedDense d : layers) {
            d.setSig(sig);
        }
    }

    /** Sigma of the first learned delay layer's kernels, in taps (NaN without learned delays). */
    public double sigma() {
        for (DclsDelayedDense d : layers) {
            if (d.mode() == DclsDelayedDense.DelayMode.LEARNED) {
                return d.sigma();
            }
        }
        return Double.NaN;
    }
}
