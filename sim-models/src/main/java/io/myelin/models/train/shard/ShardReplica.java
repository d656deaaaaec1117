package io.myelin.models.train.shard;

import io.myelin.core.InvalidInputException;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.module.Buffer;
import io.myelin.models.module.Module;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Learner;
import io.myelin.models.train.Phase;
import io.myelin.models.train.Recipe;
import io.myelin.models.train.Recipes;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.StepResult;
import io.myelin.models.train.TrainedModel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of the trained model with its own learner, which computes one shard's gradient at the parameters it is handed:
 * nothing of an earlier step survives in it (the state is copied in, the gradients zeroed), so a shard's result
 * depends only on the step, not on which replica or machine ran it.
 */
public final class ShardReplica implements AutoCloseable {
    private final TrainedModel model;
    private final Learner learner;
    private final BinnedSet train;
    private final Workers workers;
    private final List<Param> params;

    private ShardReplica(TrainedModel model, Learner learner, BinnedSet train, int threads) {
        this.model = model;
        this.learner = learner;
        this.train = train;
        this.workers = new Workers(threads);
        this.params = model.params();
        model.setWorkers(workers);
        learner.setWorkers(workers);
    }

    /**
     * A replica for {@code phase} of a run.
     *
     * @param runDir  the run directory (a phase that learns from an earlier one, a distillation teacher, reads it
     *                there)
     * @param train   the training set, binned as the run bins it
     * @param classes classes of the training file
     */
    public static ShardReplica build(Phase<?> phase, Path runDir, BinnedSet train, int classes, int threads) {
        return build(Recipes.of(phase.config()), phase, runDir, train, classes, threads);
    }

    @SuppressWarnings("unchecked")
    private static <C extends RunConfig, M extends TrainedModel> ShardReplica build(Recipe<C, M> recipe, Phase<?> phase,
                                                                                   Path runDir, BinnedSet train,
                                                                                   int classes, int threads) {
        Phase<C> p = (Phase<C>) phase;
        M model = recipe.build(p.config(), train.channels(), classes);
        return new ShardReplica(model, recipe.learner(p.config(), model, p, runDir), train, threads);
    }

    /** The phase of {@code run} trained in {@code dir} ({@code ""}: the run's last), as the run's recipe splits it. */
    public static Phase<?> phase(RunConfig run, String dir) {
        for (Phase<?> p : phasesOf(run)) {
            if (p.dir().equals(dir)) {
                return p;
            }
        }
        throw new InvalidInputException("the run has no phase in '" + dir + "'");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<? extends Phase<?>> phasesOf(RunConfig run) {
        Recipe r = Recipes.of(run);
        return r.phases(run);
    }

    /**
     * Shard {@code k} of {@code step} at {@code state}: its weighted gradients and numbers.
     *
     * @param withBuffers return the buffers the forward pass left (the step's first shard)
     * @param sync        adds BatchNorm sums over the step's shards, or null for statistics per shard
     */
    public ShardResult run(Map<String, float[]> state, ShardStep step, int k, boolean withBuffers,
                           BatchNormOverTime.ShardSum sync) {
        model.loadState((name, length) -> {
            float[] v = state.get(name);
            if (v == null || v.length != length) {
                throw new IllegalStateException("shard state lacks " + name + "[" + length + "]");
            }
            return v;
        });
        List<BatchNormOverTime> norms = model.modules(BatchNormOverTime.class);
        norms.forEach(n -> n.synchronise(sync));
        try {
            params.forEach(Param::zeroGrad);
            BinnedSet.Batch b = train.batch(step.samples()[k], 0);
            StepResult r = learner.gradient(b, step.seed(k), step.weight(k), null);
            float[][] g = new float[params.size()][];
            for (int i = 0; i < g.length; i++) {
                g[i] = params.get(i).grad.clone();
            }
            int layers = model.firingLayers();
            double[] spikes = new double[layers], slots = new double[layers];
            model.addFiring(spikes, slots);
            return new ShardResult(k, g, r.loss(), r.correct(), r.extras(), new StepResult.Firing(spikes, slots),
                    withBuffers ? buffers(model) : null);
        } finally {
            norms.forEach(n -> n.synchronise(null));
        }
    }

    /** The restorable buffers of a model tree by name (BatchNorm running statistics, delay-kernel widths). */
    static Map<String, float[]> buffers(Module model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Module m : model.modules(Module.class)) {
            for (Buffer b : m.ownBuffers()) {
                if (b.restorable()) {
                    out.put(b.name(), b.read().clone());
                }
            }
        }
        return out;
    }

    /** Copies {@link #buffers} back into a model tree. */
    static void restoreBuffers(Module model, Map<String, float[]> values) {
        for (Module m : model.modules(Module.class)) {
            for (Buffer b : m.ownBuffers()) {
                float[] v = values.get(b.name());
                if (b.restorable() && v != null) {
                    b.restore(v);
                }
            }
        }
    }

    @Override
    public void close() {
        workers.close();
    }
}
