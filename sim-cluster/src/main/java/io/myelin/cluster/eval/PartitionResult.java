package io.myelin.cluster.eval;

import java.io.Serializable;

/** A partition's predictions and labels, in sample order, and its evaluation time. */
record PartitionResult(int from, int[] predictions, int[] labels, double seconds) implements Serializable {
}
