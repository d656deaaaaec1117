package io.myelin.models.optim;

import io.myelin.models.module.Param;
import io.myelin.models.tensor.Workers;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam as {@code torch.optim.Adam} computes it: weight decay added to the gradient (L2), moments
 * {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2}, and
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)} with the group's current beta1 (which a one-cycle
 * schedule cycles). Several {@link ParamGroup}s, each with its own learning rate and weight decay.
 */
public final class Adam {
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    private final List<ParamGroup> groups;
    private final Map<Param, float[]> m = new IdentityHashMap<>();
    private final Map<Param, float[]> v = new IdentityHashMap<>();
    private long steps;
    private Workers workers = Workers.serial();

    public Adam(List<ParamGroup> groups) {
        this.groups = List.copyOf(groups);
        for (ParamGroup g : groups) {
            for (Param p : g.params) {
                m.put(p, new float[p.value.length]);
                v.put(p, new float[p.value.length]);
            }
        }
    }

    /**
     * Threads split each large parameter's elements (every element's update is its own, so the result does not
     * depend on the split); small ones stay on the calling thread.
     */
    public void setWorkers(Workers w) {
        this.workers = w;
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    public long steps() {
        return steps;
    }

    public void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Param p : g.params) {
                p.zeroGrad();
            }
        }
    }

    /** One update of every parameter from its gradient. */
    public void step() {
        steps++;
        double sqrtBc2 = Math.sqrt(1 - Math.pow(BETA2, steps));
        for (ParamGroup g : groups) {
            float b1 = (float) g.beta1, b2 = (float) BETA2;
            float wd = (float) g.weightDecay;
            float stepSize = (float) (g.lr / (1 - Math.pow(g.beta1, steps)));
            for (Param p : g.params) {
                float[] mv = m.get(p), vv = v.get(p), w = p.value, gr = p.grad;
                if (w.length < PARALLEL_ELEMENTS) {
                    update(w, gr, mv, vv, 0, w.length, b1, b2, wd, stepSize, sqrtBc2);
                } else {
                    workers.forRangeEven(w.length, (k0, k1) -> update(w, gr, mv, vv, k0, k1, b1, b2, wd, stepSize,
                            sqrtBc2));
                }
            }
        }
    }

    /** Parameters below this many elements update on the calling thread: handing them over costs more. */
    private static final int PARALLEL_ELEMENTS = 8192;

    private static void update(float[] w, float[] gr, float[] mv, float[] vv, int k0, int k1, float b1, float b2,
                               float wd, float stepSize, double sqrtBc2) {
        for (int k = k0; k < k1; k++) {
            float gk = gr[k] + wd * w[k];
            mv[k] = b1 * mv[k] + (1 - b1) * gk;
            vv[k] = b2 * vv[k] + (1 - b2) * gk * gk;
            float denom = (float) (Math.sqrt(vv[k]) / sqrtBc2 + EPS);
            w[k] -= stepSize * mv[k] / denom;
        }
    }

    /** Everything needed to continue bit for bit: moments per parameter (in group order) and the step count. */
    public Snapshot snapshot() {
        List<float[]> ms = new ArrayList<>(), vs = new ArrayList<>();
        for (ParamGroup g : groups) {
            for (Param p : g.params) {
                ms.add(m.get(p).clone());
                vs.add(v.get(p).clone());
            }
        }
        return new Snapshot(steps, ms, vs);
    }

    public void restore(Snapshot s) {
        int k = 0;
        for (ParamGroup g : groups) {
            for (Param p : g.params) {
                float[] mm = s.m().get(k), vv = s.v().get(k);
                if (mm.length != p.value.length || vv.length != p.value.length) {
                    throw new IllegalArgumentException("optimizer state for " + p.name + " has the wrong size");
                }
                System.arraycopy(mm, 0, m.get(p), 0, mm.length);
                System.arraycopy(vv, 0, v.get(p), 0, vv.length);
                k++;
            }
        }
        steps = s.steps();
    }

    /** Optimizer state in parameter order. */
    public record Snapshot(long steps, List<float[]> m, List<float[]> v) {
    }
}
