package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ngvi.optim.schedule.LrSchedule;

/**
 * Hyper-parameters of {@link Adam} (PyTorch's {@code torch.optim.Adam}, L2 weight decay added to
 * the gradient, not AdamW).
 *
 * @param lr          learning rate α &gt; 0
 * @param beta1       decay of the first-moment EMA, in [0, 1)
 * @param beta2       decay of the second-moment EMA, in [0, 1)
 * @param eps         ε &gt; 0 added to √v̂
 * @param weightDecay L2 coefficient w ≥ 0
 * @param schedule    how α changes with the step ({@link #lrAt}); Adam has no momentum to correct
 */
public record AdamParams(double lr, double beta1, double beta2, double eps, double weightDecay, LrSchedule schedule)
        implements java.io.Serializable {
    public AdamParams {
        OptimParamChecks.positive("AdamParams.lr", lr);
        OptimParamChecks.inRange("AdamParams.beta1", beta1, 0, true, 1, false);
        OptimParamChecks.inRange("AdamParams.beta2", beta2, 0, true, 1, false);
        OptimParamChecks.positive("AdamParams.eps", eps);
        OptimParamChecks.nonNegative("AdamParams.weightDecay", weightDecay);
        schedule = schedule == null ? LrSchedule.constant() : schedule;
        if (schedule.momentumCorrection()) {
            throw new IllegalArgumentException("AdamParams.schedule: momentum correction needs a momentum parameter, which Adam has not");
        }
    }

    /** Params with a constant learning rate. */
    public AdamParams(double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(lr, beta1, beta2, eps, weightDecay, LrSchedule.constant());
    }

    /** α_t, the learning rate of step t + 1 (t = {@code stepsDone}). */
    public double lrAt(long stepsDone) {
        return schedule.lr(lr, stepsDone);
    }

    /** PyTorch's defaults (β = (0.9, 0.999), ε = 1e-8, no weight decay) with learning rate {@code lr}. */
    public static AdamParams of(double lr) {
        return new AdamParams(lr, 0.9, 0.999, 1e-8, 0);
    }

    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("lr", lr);
        n.put("beta1", beta1);
        n.put("beta2", beta2);
        n.put("eps", eps);
        n.put("weight_decay", weightDecay);
        if (!schedule.isConstant()) {
            n.set("lr_schedule", schedule.toJson());
        }
        return n;
    }

    public static AdamParams fromJson(JsonNode n) {
        String what = "adam params";
        return new AdamParams(OptimParamChecks.number(n, "lr", what), OptimParamChecks.number(n, "beta1", what),
                OptimParamChecks.number(n, "beta2", what), OptimParamChecks.number(n, "eps", what),
                OptimParamChecks.number(n, "weight_decay", what), LrSchedule.fromJson(n.get("lr_schedule")));
    }
}
