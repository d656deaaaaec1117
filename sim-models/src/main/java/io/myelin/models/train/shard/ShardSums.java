package io.myelin.models.train.shard;

/** Element-wise sums over shards, added in shard order (the order is part of the result, bit for bit). */
public final class ShardSums {
    private ShardSums() {
    }

    /** {@code parts[0] + parts[1] + ...} element by element, left to right. */
    public static double[] inOrder(double[][] parts) {
        double[] s = parts[0].clone();
        for (int p = 1; p < parts.length; p++) {
            if (parts[p].length != s.length) {
                throw new IllegalStateException("shard sums differ in length: " + parts[p].length + " vs " + s.length);
            }
            for (int i = 0; i < s.length; i++) {
                s[i] += parts[p][i];
            }
        }
        return s;
    }
}
