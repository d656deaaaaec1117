package io.myelin.cluster.parallel;

import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.train.shard.ShardSums;
import org.apache.spark.BarrierTaskContext;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Synchronised BatchNorm between the tasks of a barrier stage: each task all-gathers its sums (doubles, exactly, as
 * text) and adds everyone's in partition order, which is shard order, so every task holds the same bits.
 */
final class BarrierShardSum implements BatchNormOverTime.ShardSum {
    private final BarrierTaskContext context;

    BarrierShardSum(BarrierTaskContext context) {
        this.context = context;
    }

    @Override
    public double[] sum(double[] local) {
        String[] all = context.allGather(encode(local));
        double[][] parts = new double[all.length][];
        for (int i = 0; i < all.length; i++) {
            parts[i] = decode(all[i]);
        }
        return ShardSums.inOrder(parts);
    }

    static String encode(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length);
        for (double x : v) {
            b.putDouble(x);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    static double[] decode(String s) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s));
        double[] v = new double[b.remaining() / 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getDouble();
        }
        return v;
    }
}
