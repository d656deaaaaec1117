package io.myelin.models.train.shard;

import io.myelin.models.train.StepResult;

import java.io.Serializable;
import java.util.Map;

/**
 * What one shard of a step gives back: the weighted gradient of every parameter (in the model's parameter order), its
 * own mean loss, hits, extra losses and firing counts, and for the first shard of the step the buffers its forward
 * pass left (BatchNorm running statistics), which the trained model keeps.
 *
 * @param buffers the replica's restorable buffers by name after the step, or null (every shard but the first)
 */
public record ShardResult(int shard, float[][] gradients, double loss, int correct, double[] extras,
                          StepResult.Firing firing, Map<String, float[]> buffers) implements Serializable {
}
