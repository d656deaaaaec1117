package io.myelin.cluster.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;

/**
 * One run of a sweep as its Spark task receives it: the full config (overrides, seed and epochs applied), the data
 * files and the run directory, all as paths every worker sees.
 *
 * @param index           position in the grid (runs are listed in this order)
 * @param name            the run directory's name under {@code OUT/runs}
 * @param config          the run's config JSON, exactly what {@code myelin train} would train
 * @param valid           validation file, or null
 * @param report          write {@code report/} (energy) after training
 * @param failAfterEpochs test hook: the task's first attempt fails after this many epochs (-1: never)
 */
public record SweepRun(int index, String name, LinkedHashMap<String, String> overrides, long seed, String config,
                       String train, String valid, String test, String runDir, int threads, boolean report,
                       String energyModel, int failAfterEpochs) implements Serializable {
}
