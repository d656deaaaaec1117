package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.models.module.Param;
import io.myelin.models.optim.Adam;
import io.myelin.models.optim.ParamGroup;
import io.myelin.models.optim.Schedule;
import io.myelin.models.store.TensorFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's optimizers with the per-epoch schedule of each parameter group, and how their state goes into a
 * checkpoint: each Adam's step count as a header field and its moments as tensors {@code PREFIX.m.K},
 * {@code PREFIX.v.K} (K counting the parameters of its groups in order).
 */
public final class Optimization {
    private record Slot(String prefix, String stepsField, Adam adam) {
    }

    private record Scheduled(ParamGroup group, Schedule schedule) {
    }

    private final List<Slot> slots = new ArrayList<>();
    private final List<Scheduled> schedules = new ArrayList<>();

    /**
     * Adds an optimizer.
     *
     * @param prefix     its tensors' name prefix in checkpoints ({@code adam.w})
     * @param stepsField its step count's header field ({@code adam_w_steps})
     */
    public Optimization add(String prefix, String stepsField, Adam adam) {
        slots.add(new Slot(prefix, stepsField, adam));
        return this;
    }

    /** Schedules {@code group} (schedules run in the order they are added). */
    public Optimization schedule(ParamGroup group, Schedule schedule) {
        schedules.add(new Scheduled(group, schedule));
        return this;
    }

    /** Sets every scheduled group's hyper-parameters for {@code epoch}. */
    public void applySchedules(int epoch) {
        for (Scheduled s : schedules) {
            s.schedule().apply(epoch, s.group());
        }
    }

    public void zeroGrad() {
        for (Slot s : slots) {
            s.adam().zeroGrad();
        }
    }

    public void step() {
        for (Slot s : slots) {
            s.adam().step();
        }
    }

    /** Writes every optimizer's step count into a checkpoint header. */
    public void writeSteps(ObjectNode header) {
        for (Slot s : slots) {
            header.put(s.stepsField(), s.adam().steps());
        }
    }

    /** Adds every optimizer's moments to a checkpoint's tensors. */
    public void putMoments(Map<String, float[]> tensors) {
        for (Slot s : slots) {
            Adam.Snapshot snap = s.adam().snapshot();
            for (int k = 0; k < snap.m().size(); k++) {
                tensors.put(s.prefix() + ".m." + k, snap.m().get(k));
                tensors.put(s.prefix() + ".v." + k, snap.v().get(k));
            }
        }
    }

    /** Restores what {@link #writeSteps} and {@link #putMoments} wrote; errors name {@code from}. */
    public void restore(TensorFile.Contents c, JsonNode header, Path from) {
        for (Slot s : slots) {
            List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
            int k = 0;
            for (ParamGroup g : s.adam().groups()) {
                for (Param p : g.params) {
                    m.add(c.tensor(s.prefix() + ".m." + k, p.value.length, from));
                    v.add(c.tensor(s.prefix() + ".v." + k, p.value.length, from));
                    k++;
                }
            }
            s.adam().restore(new Adam.Snapshot(header.path(s.stepsField()).asLong(), m, v));
        }
    }
}
