package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import org.ngvi.args.ArgumentException;

/**
 * The learning rate α_t and momentum β_t of every optimizer step t = 0, 1, … of a run, as the
 * reference's training scripts drive their schedulers (E = {@code stepsPerEpoch}, T_w = W·E with
 * W = {@code warmupEpochs}; a rule's count is the 0-based epoch ⌊t/E⌋ for epoch rules, the step
 * for iteration rules):
 * <ul>
 * <li>t &lt; T_w: the warm-up rule at count ⌊t/E⌋ or t;</li>
 * <li>t ≥ T_w with a main rule: the main rule at count ⌊t/E⌋ (epoch rules see the absolute
 *     epoch, as {@code scheduler.step(epoch - 1)}) or t − T_w (an iteration rule starts counting
 *     when it takes over);</li>
 * <li>t ≥ T_w without a main rule: everything stays as at step T_w − 1;</li>
 * <li>no rules: α₀ and β throughout.</li>
 * </ul>
 * With momentum correction (torchsso's {@code MomentumCorrectionLR}), every scheduler tick
 * sets β_t = β · α_t / α_{t'−1}, where t' is the step of that tick (the first step of an epoch
 * for epoch rules, the step itself for iteration rules) and α_{t'−1} the rate before it; the very
 * first tick (t' = 0) keeps β. The factor lasts until the next tick: one step for an iteration rule,
 * the whole epoch for an epoch rule, exactly as the reference does.
 *
 * @param main               the rule after warm-up, or {@code null}
 * @param warmup             the warm-up rule, or {@code null}
 * @param warmupEpochs       W ≥ 0 epochs of warm-up (≥ 1 exactly when there is a warm-up rule)
 * @param momentumCorrection whether β follows rate changes
 * @param stepsPerEpoch      E ≥ 1 optimizer steps per epoch, or 0 while not yet bound to a run
 *                           ({@link #forStepsPerEpoch}); only rules that need E require it
 */
public record LrSchedule(LrRule main, LrRule warmup, int warmupEpochs, boolean momentumCorrection, int stepsPerEpoch)
        implements Serializable {
    private static final LrSchedule CONSTANT = new LrSchedule(null, null, 0, false, 0);

    public LrSchedule {
        if ((warmup == null) != (warmupEpochs == 0)) {
            throw new IllegalArgumentException("LrSchedule: a warm-up rule and warmupEpochs >= 1 go together (got "
                    + (warmup == null ? "no rule" : warmup.name()) + ", " + warmupEpochs + " epochs)");
        }
        if (warmupEpochs < 0 || stepsPerEpoch < 0) {
            throw new IllegalArgumentException("LrSchedule: warmupEpochs and stepsPerEpoch must be >= 0 (got "
                    + warmupEpochs + ", " + stepsPerEpoch + ")");
        }
    }

    /** α₀ and β at every step. */
    public static LrSchedule constant() {
        return CONSTANT;
    }

    /** Whether α and β never change. */
    public boolean isConstant() {
        return main == null && warmup == null;
    }

    /** Whether the steps per epoch must be known: any epoch rule, or a warm-up counted in epochs. */
    public boolean needsStepsPerEpoch() {
        return warmup != null || (main != null && main.perEpoch());
    }

    /** This schedule for a run of {@code e} optimizer steps per epoch. */
    public LrSchedule forStepsPerEpoch(int e) {
        if (e < 1) {
            throw new IllegalArgumentException("LrSchedule.forStepsPerEpoch: steps per epoch must be >= 1 (got " + e + ")");
        }
        return new LrSchedule(main, warmup, warmupEpochs, momentumCorrection, e);
    }

    /** α_t for base rate {@code base}. */
    public double lr(double base, long step) {
        if (isConstant()) {
            return base;
        }
        long t = effectiveStep(step);
        long tw = warmupSteps();
        if (t < tw) {
            return warmup.lr(base, count(warmup, t, 0));
        }
        return main.lr(base, count(main, t, tw));
    }

    /** β_t for momentum {@code beta} and base rate {@code base} (β itself without momentum correction). */
    public double momentum(double beta, double base, long step) {
        if (!momentumCorrection || isConstant() || beta == 0) {
            return beta;
        }
        long t = effectiveStep(step);
        LrRule rule = t < warmupSteps() ? warmup : main;
        long tick = rule.perEpoch() ? t - t % stepsPerEpoch : t;
        return tick == 0 ? beta : beta * lr(base, tick) / lr(base, tick - 1);
    }

    /** Steps after warm-up without a main rule behave as the last warm-up step. */
    private long effectiveStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("LrSchedule: step must be >= 0 (got " + step + ")");
        }
        if (needsStepsPerEpoch() && stepsPerEpoch == 0) {
            throw new IllegalStateException("LrSchedule with " + describe()
                    + " is not bound to a run: call forStepsPerEpoch(steps per epoch) first");
        }
        long tw = warmupSteps();
        return main == null && step >= tw ? tw - 1 : step;
    }

    private long warmupSteps() {
        return (long) warmupEpochs * stepsPerEpoch;
    }

    private long count(LrRule rule, long t, long start) {
        return rule.perEpoch() ? t / stepsPerEpoch : t - start;
    }

    /** A short description for logs, e.g. {@code "GradualWarmupIterLR for 5 epochs, then MultiStepLR"}. */
    public String describe() {
        if (isConstant()) {
            return "constant";
        }
        String m = main == null ? "" : main.name() + main.argsJson();
        String w = warmup == null ? "" : warmup.name() + warmup.argsJson() + " for " + warmupEpochs + " epochs"
                + (main == null ? "" : ", then ");
        return w + m + (momentumCorrection ? " with momentum correction" : "");
    }

    /**
     * JSON for checkpoints and provenance, with the reference's names: {@code scheduler_name},
     * {@code scheduler_args}, {@code warmup_epochs}, {@code warmup_scheduler_name},
     * {@code warmup_scheduler_args}, {@code momentum_correction}, plus {@code steps_per_epoch}.
     */
    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        if (main != null) {
            n.put("scheduler_name", main.name());
            n.set("scheduler_args", main.argsJson());
        }
        if (warmup != null) {
            n.put("warmup_epochs", warmupEpochs);
            n.put("warmup_scheduler_name", warmup.name());
            n.set("warmup_scheduler_args", warmup.argsJson());
        }
        n.put("momentum_correction", momentumCorrection);
        n.put("steps_per_epoch", stepsPerEpoch);
        return n;
    }

    /**
     * Inverse of {@link #toJson()}; {@code null} or a missing node is the constant schedule.
     *
     * @throws IllegalArgumentException naming the field for anything malformed
     */
    public static LrSchedule fromJson(JsonNode n) {
        if (n == null || n.isNull()) {
            return CONSTANT;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("lr_schedule: expected an object, got " + n);
        }
        LrRule main = rule(n, "scheduler_name", "scheduler_args");
        LrRule warmup = rule(n, "warmup_scheduler_name", "warmup_scheduler_args");
        int warmupEpochs = n.path("warmup_epochs").asInt(0);
        int spe = n.path("steps_per_epoch").asInt(0);
        return new LrSchedule(main, warmup, warmupEpochs, n.path("momentum_correction").asBoolean(false), spe);
    }

    private static LrRule rule(JsonNode n, String nameField, String argsField) {
        JsonNode name = n.get(nameField);
        if (name == null || name.isNull()) {
            return null;
        }
        if (!LrRule.NAMES.contains(name.asText())) {
            throw new IllegalArgumentException("lr_schedule." + nameField + ": expected one of " + LrRule.NAMES + ", got " + name);
        }
        try {
            return LrRule.of(name.asText(), n.get(argsField));
        } catch (ArgumentException e) {
            throw new IllegalArgumentException("lr_schedule." + argsField + (e.field() == null ? "" : "." + e.field())
                    + ": " + e.reason(), e);
        }
    }
}
