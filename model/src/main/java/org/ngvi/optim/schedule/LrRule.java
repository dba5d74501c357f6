package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;

/**
 * One scheduler of the reference: the learning rate at tick {@code count} as a function of the
 * base rate α₀. Epoch rules tick once per epoch (count = the 0-based epoch, as the reference's
 * {@code scheduler.step(epoch - 1)}); iteration rules tick once per optimizer step.
 */
public sealed interface LrRule extends Serializable
        permits ExponentialLr, StepLr, MultiStepLr, CosineAnnealingLr, GradualWarmupLr, PolynomialDecayLr {

    /** The reference's scheduler names, as {@code scheduler_name} takes them. */
    List<String> NAMES = List.of(ExponentialLr.NAME, StepLr.NAME, MultiStepLr.NAME, CosineAnnealingLr.NAME,
            GradualWarmupLr.NAME, PolynomialDecayLr.NAME);

    /** {@code true}: ticks once per epoch; {@code false}: once per optimizer step. */
    boolean perEpoch();

    /** The learning rate at tick {@code count} ≥ 0 for base rate {@code base}. */
    double lr(double base, long count);

    /** The reference's scheduler name ({@code scheduler_name}). */
    String name();

    /** The scheduler's arguments under the reference's names ({@code scheduler_args}). */
    ObjectNode argsJson();

    /**
     * The rule {@code name} with arguments {@code args} (an object, or {@code null} for none).
     *
     * @throws ArgumentException naming the argument ({@code null} field: the name itself) for an
     *                           unknown name, an unknown argument or a bad value
     */
    static LrRule of(String name, JsonNode args) {
        ScheduleArgs a = new ScheduleArgs(args);
        LrRule rule = switch (name) {
            case ExponentialLr.NAME -> new ExponentialLr(a.positive("gamma", null));
            case StepLr.NAME -> new StepLr(a.count("step_size", null, 1), a.positive("gamma", 0.1));
            case MultiStepLr.NAME -> new MultiStepLr(a.increasingCounts("milestones"), a.positive("gamma", 0.1));
            case CosineAnnealingLr.NAME -> new CosineAnnealingLr(a.count("T_max", null, 1), a.nonNegative("eta_min", 0.0));
            case GradualWarmupLr.NAME -> new GradualWarmupLr(a.positive("initial_lr", null), a.count("max_count", null, 1));
            case PolynomialDecayLr.NAME -> {
                double rate = a.number("rate");
                long maxCount = a.count("max_count", null, 1);
                Double target = a.optionalPositive("target");
                long start = a.count("start_iter", 0L, 0);
                if (start >= maxCount) {
                    throw new ArgumentException("start_iter", "must be below max_count " + maxCount + ", got " + start);
                }
                yield new PolynomialDecayLr(rate, maxCount, target, start);
            }
            default -> throw new ArgumentException(null, "unknown scheduler \"" + name + "\"; expected one of " + NAMES);
        };
        a.rejectUnread();
        return rule;
    }

    /** A bad scheduler name or argument: {@link #field()} names the argument ({@code null}: the name). */
    final class ArgumentException extends IllegalArgumentException {
        private final String field;
        private final String reason;

        public ArgumentException(String field, String reason) {
            super((field == null ? "" : field + ": ") + reason);
            this.field = field;
            this.reason = reason;
        }

        /** The argument at fault, or {@code null} when the scheduler name is. */
        public String field() {
            return field;
        }

        /** What was expected and what was found. */
        public String reason() {
            return reason;
        }
    }
}
