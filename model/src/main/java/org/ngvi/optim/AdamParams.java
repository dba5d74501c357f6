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
        implements OptimizerParams {
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
    @Override
    public double lrAt(long stepsDone) {
        return schedule.lr(lr, stepsDone);
    }

    @Override
    public String optimizerName() {
        return Adam.NAME;
    }

    @Override
    public Adam create() {
        return new Adam(this);
    }

    /**
     * From a training config: {@code optim_args.lr} (default 0.001), {@code optim_args.betas}
     * ([0.9, 0.999], each in [0, 1)), {@code optim_args.weight_decay} (0); ε = 1e-8. The context's
     * schedule may not ask for momentum correction (key {@code momentum_correction}).
     */
    public static AdamParams fromConfig(OptimArgs a, OptimContext ctx) {
        double lr = a.number("optim_args.lr", 1e-3, 0, true, 1e3);
        double[] betas = a.doubleArray("optim_args.betas", new double[] {0.9, 0.999}, 2);
        for (double b : betas) {
            if (b < 0 || b >= 1) {
                throw a.error("optim_args.betas", "expected two numbers in [0, 1), got " + java.util.Arrays.toString(betas));
            }
        }
        double weightDecay = a.number("optim_args.weight_decay", 0, 0, false, 1e3);
        if (ctx.schedule().momentumCorrection()) {
            throw a.error("momentum_correction", "scales the optimizer's momentum with the learning rate; " + Adam.NAME
                    + " has no momentum");
        }
        return new AdamParams(lr, betas[0], betas[1], 1e-8, weightDecay, ctx.schedule());
    }

    /** PyTorch's defaults (β = (0.9, 0.999), ε = 1e-8, no weight decay) with learning rate {@code lr}. */
    public static AdamParams of(double lr) {
        return new AdamParams(lr, 0.9, 0.999, 1e-8, 0);
    }

    @Override
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
