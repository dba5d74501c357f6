package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ngvi.optim.schedule.LrSchedule;

/**
 * Hyper-parameters of {@link Sgd} (PyTorch's {@code torch.optim.SGD} without dampening or Nesterov).
 *
 * @param lr          learning rate α &gt; 0
 * @param momentum    momentum β in [0, 1); 0 disables the buffer
 * @param weightDecay L2 coefficient w ≥ 0 added to the gradient (g + w θ)
 * @param schedule    how α and β change with the step ({@link #lrAt}, {@link #momentumAt})
 */
public record SgdParams(double lr, double momentum, double weightDecay, LrSchedule schedule) implements OptimizerParams {
    public SgdParams {
        OptimParamChecks.positive("SgdParams.lr", lr);
        OptimParamChecks.inRange("SgdParams.momentum", momentum, 0, true, 1, false);
        OptimParamChecks.nonNegative("SgdParams.weightDecay", weightDecay);
        schedule = schedule == null ? LrSchedule.constant() : schedule;
    }

    /** Params with a constant learning rate and momentum. */
    public SgdParams(double lr, double momentum, double weightDecay) {
        this(lr, momentum, weightDecay, LrSchedule.constant());
    }

    /** α_t, the learning rate of step t + 1 (t = {@code stepsDone}). */
    @Override
    public double lrAt(long stepsDone) {
        return schedule.lr(lr, stepsDone);
    }

    /** β_t, the momentum of step t + 1, momentum-corrected when the schedule says so. */
    public double momentumAt(long stepsDone) {
        return schedule.momentum(momentum, lr, stepsDone);
    }

    @Override
    public String optimizerName() {
        return Sgd.NAME;
    }

    @Override
    public Sgd create() {
        return new Sgd(this);
    }

    /**
     * From a training config: {@code optim_args.lr} (default 0.01), {@code optim_args.momentum}
     * (0), {@code optim_args.weight_decay} (0), with the context's schedule (momentum correction allowed).
     */
    public static SgdParams fromConfig(OptimArgs a, OptimContext ctx) {
        return new SgdParams(a.number("optim_args.lr", 1e-2, 0, true, 1e3),
                a.number("optim_args.momentum", 0, 0, false, 0.999999),
                a.number("optim_args.weight_decay", 0, 0, false, 1e3), ctx.schedule());
    }

    /** Plain SGD without momentum or weight decay. */
    public static SgdParams of(double lr) {
        return new SgdParams(lr, 0, 0);
    }

    /** {@code {"lr": .., "momentum": .., "weight_decay": ..}}, plus {@code lr_schedule} when not constant. */
    @Override
    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("lr", lr);
        n.put("momentum", momentum);
        n.put("weight_decay", weightDecay);
        if (!schedule.isConstant()) {
            n.set("lr_schedule", schedule.toJson());
        }
        return n;
    }

    /** Inverse of {@link #toJson()}; missing or non-numeric fields are a clear error. */
    public static SgdParams fromJson(JsonNode n) {
        return new SgdParams(OptimParamChecks.number(n, "lr", "sgd params"),
                OptimParamChecks.number(n, "momentum", "sgd params"),
                OptimParamChecks.number(n, "weight_decay", "sgd params"), LrSchedule.fromJson(n.get("lr_schedule")));
    }
}
