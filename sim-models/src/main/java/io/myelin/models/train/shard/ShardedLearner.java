package io.myelin.models.train.shard;

import io.myelin.models.data.BinnedSet;
import io.myelin.models.module.Module;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Learner;
import io.myelin.models.train.Optimization;
import io.myelin.models.train.StageTimes;
import io.myelin.models.train.StepResult;
import io.myelin.models.train.TrainedModel;

import java.util.List;
import java.util.Map;

/**
 * A phase's learner in K-shards mode: each step hands the model's state and the step's {@link ShardStep} to the
 * {@link ShardGradients}, sums the shards' gradients parameter by parameter in shard order, keeps the buffers of the
 * step's first shard (BatchNorm running statistics, as DDP keeps rank 0's), and takes the phase learner's own
 * optimizer step and constraints. Schedules and checkpoints are the phase learner's: a sharded run's checkpoint is an
 * ordinary one plus its {@link Sharding}.
 */
public final class ShardedLearner implements Learner {
    private final Learner learner;
    private final TrainedModel model;
    private final Sharding sharding;
    private final ShardGradients shards;
    private final List<Param> params;

    /**
     * @param learner the phase's learner of {@code model} (the optimizers and constraints applied to the sums)
     */
    public ShardedLearner(Learner learner, TrainedModel model, Sharding sharding, ShardGradients shards) {
        this.learner = learner;
        this.model = model;
        this.sharding = sharding;
        this.shards = shards;
        this.params = model.params();
    }

    public Sharding sharding() {
        return sharding;
    }

    @Override
    public Optimization optimization() {
        return learner.optimization();
    }

    @Override
    public Map<String, Double> beginEpoch(int epoch) {
        return learner.beginEpoch(epoch);
    }

    @Override
    public StepResult step(BinnedSet.Batch batch, long stepSeed, StageTimes times) {
        for (Module m : model.modules(Module.class)) {
            m.materialise();
        }
        int[] all = batch.indices();
        List<ShardResult> rs = shards.compute(model.state(), ShardStep.of(sharding, all, stepSeed));
        optimization().zeroGrad();
        for (int i = 0; i < params.size(); i++) {
            float[] g = params.get(i).grad;
            System.arraycopy(rs.get(0).gradients()[i], 0, g, 0, g.length);
            for (int r = 1; r < rs.size(); r++) {
                float[] add = rs.get(r).gradients()[i];
                for (int j = 0; j < g.length; j++) {
                    g[j] += add[j];
                }
            }
        }
        ShardReplica.restoreBuffers(model, rs.get(0).buffers());
        learner.update(times);

        int layers = model.firingLayers();
        double[] spikes = new double[layers], slots = new double[layers];
        double loss = 0;
        double[] extras = new double[learner.extraLosses().size()];
        int correct = 0;
        for (ShardResult r : rs) {
            double w = sharding.slice(all, r.shard()).length / (double) all.length;
            loss += w * r.loss();
            for (int e = 0; e < extras.length; e++) {
                extras[e] += w * r.extras()[e];
            }
            correct += r.correct();
            r.firing().addTo(spikes, slots);
        }
        return new StepResult(loss, correct, extras, new StepResult.Firing(spikes, slots));
    }

    /** Not separable: a sharded learner takes whole steps. */
    @Override
    public StepResult gradient(BinnedSet.Batch batch, long stepSeed, double weight, StageTimes times) {
        throw new UnsupportedOperationException("a sharded learner takes whole steps");
    }

    @Override
    public void update(StageTimes times) {
        learner.update(times);
    }

    @Override
    public List<String> extraLosses() {
        return learner.extraLosses();
    }

    @Override
    public void endEpoch(int epoch, int epochs) {
        learner.endEpoch(epoch, epochs);
    }

    @Override
    public void setWorkers(Workers w) {
        learner.setWorkers(w);
    }
}
