package io.myelin.cluster.eval;

import java.io.Serializable;

/**
 * One partition of a distributed evaluation: samples {@code [from, to)} of the test file, read by the executor alone.
 *
 * @param batch   evaluation batch
 * @param threads worker threads of the task
 */
record EvalPartition(String model, String test, int from, int to, int batch, int threads) implements Serializable {
}
