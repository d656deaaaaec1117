package io.myelin.cluster.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;

/**
 * A finished run of a sweep: its {@code myelin train --json} numbers, the energy of its report and where it ran.
 *
 * @param energyUj          energy per inference of the best model on the test file, µJ (null without a report)
 * @param resumedFromEpoch  epochs its checkpoint held when this attempt started (0: a fresh start)
 * @param attempt           Spark's attempt number of the task that finished it (0: the first)
 * @param seconds           wall time of the finishing attempt, s
 */
public record SweepResult(int index, String name, LinkedHashMap<String, String> overrides, long seed, int epochs,
                          double bestTestAcc, double finalTestAcc, double bestValidAcc, int bestEpoch,
                          double trainSamplesPerS, Double energyUj, String runDir, int resumedFromEpoch, int attempt,
                          String executor, double seconds) implements Serializable {
}
