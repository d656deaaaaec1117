package io.myelin.models.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wall time spent in each named stage of a training step (a layer's forward or backward pass, the loss, the
 * optimizer), summed over the steps it was attached for: where a benchmark's time goes. Stages run one after
 * another (each uses all worker threads), so the shares add up to the step time.
 */
public final class StageTimes {
    private final Map<String, long[]> nanos = new LinkedHashMap<>();

    /** Runs {@code stage} and adds its wall time to {@code name}. */
    public <T> T time(String name, Supplier<T> stage) {
        long t0 = System.nanoTime();
        T r = stage.get();
        add(name, System.nanoTime() - t0);
        return r;
    }

    /** Runs {@code stage} and adds its wall time to {@code name}. */
    public void run(String name, Runnable stage) {
        long t0 = System.nanoTime();
        stage.run();
        add(name, System.nanoTime() - t0);
    }

    /** Adds {@code ns} nanoseconds to stage {@code name}. */
    public void add(String name, long ns) {
        nanos.computeIfAbsent(name, k -> new long[1])[0] += ns;
    }

    public void clear() {
        nanos.clear();
    }

    /** Seconds per stage, in the order the stages first ran. */
    public Map<String, Double> seconds() {
        Map<String, Double> s = new LinkedHashMap<>();
        nanos.forEach((k, v) -> s.put(k, v[0] / 1e9));
        return s;
    }
}
