package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.ngvi.args.ArgumentException;
import org.ngvi.args.JsonArgs;

/**
 * One scheduler of the reference: the learning rate at tick {@code count} as a function of the
 * base rate α₀. Epoch rules tick once per epoch (count = the 0-based epoch, as the reference's
 * {@code scheduler.step(epoch - 1)}); iteration rules tick once per optimizer step.
 */
public sealed interface LrRule extends Serializable permits LrRule.PerEpoch, LrRule.PerStep {

    /** A rule that ticks once per epoch (count = the 0-based epoch). */
    sealed interface PerEpoch extends LrRule permits ExponentialLr, StepLr, MultiStepLr, CosineAnnealingLr {
        @Override
        default boolean perEpoch() {
            return true;
        }
    }

    /** A rule that ticks once per optimizer step. */
    sealed interface PerStep extends LrRule permits GradualWarmupLr, PolynomialDecayLr {
        @Override
        default boolean perEpoch() {
            return false;
        }
    }

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
     * @throws IllegalArgumentException for a name not in {@link #NAMES}
     * @throws ArgumentException        naming the argument ({@code null} field: the object itself)
     *                                  for an unknown argument or a bad value
     */
    static LrRule of(String name, JsonNode args) {
        return switch (name) {
            case ExponentialLr.NAME -> new ExponentialLr(args(name, args, "gamma").positive("gamma", null));
            case StepLr.NAME -> {
                JsonArgs a = args(name, args, "step_size", "gamma");
                yield new StepLr(a.integer("step_size", null, 1), a.positive("gamma", 0.1));
            }
            case MultiStepLr.NAME -> {
                JsonArgs a = args(name, args, "milestones", "gamma");
                yield new MultiStepLr(a.increasingIntegers("milestones"), a.positive("gamma", 0.1));
            }
            case CosineAnnealingLr.NAME -> {
                JsonArgs a = args(name, args, "T_max", "eta_min");
                yield new CosineAnnealingLr(a.integer("T_max", null, 1), a.nonNegative("eta_min", 0.0));
            }
            case GradualWarmupLr.NAME -> {
                JsonArgs a = args(name, args, "initial_lr", "max_count");
                yield new GradualWarmupLr(a.positive("initial_lr", null), a.integer("max_count", null, 1));
            }
            case PolynomialDecayLr.NAME -> {
                JsonArgs a = args(name, args, "rate", "max_count", "target", "start_iter");
                yield new PolynomialDecayLr(a.number("rate"), a.integer("max_count", null, 1), a.optionalPositive("target"),
                        a.integer("start_iter", 0L, 0));
            }
            default -> throw new IllegalArgumentException("unknown scheduler \"" + name + "\"; expected one of " + NAMES);
        };
    }

    private static JsonArgs args(String name, JsonNode args, String... allowed) {
        return new JsonArgs(name, "scheduler " + name, args, Set.of(allowed));
    }
}
