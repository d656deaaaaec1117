package io.myelin.models.optim;

import io.myelin.models.module.Param;

import java.util.List;

/**
 * Parameters sharing a learning rate, weight decay (L2, added to the gradient as in {@code torch.optim.Adam}) and
 * Adam's beta1, which a one-cycle schedule may cycle. Mutable by the schedules, once per epoch.
 */
public final class ParamGroup {
    public final String name;
    public final List<Param> params;
    public final double weightDecay;
    public double lr;
    public double beta1;

    public ParamGroup(String name, List<Param> params, double lr, double weightDecay) {
        this.name = name;
        this.params = List.copyOf(params);
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.beta1 = 0.9;
    }
}
