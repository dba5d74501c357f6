package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * torchsso's {@code GradualWarmupIterLR}: a linear ramp from {@code initial_lr} at step 0 to the
 * base rate at step {@code max_count}, then the base rate:
 * α_i = α_init (1 − i/C) + α₀ i/C for i ≤ C, α₀ after.
 *
 * @param initialLr α_init &gt; 0, the rate of the first step
 * @param maxCount  C ≥ 1, the step at which the ramp reaches α₀
 */
public record GradualWarmupLr(double initialLr, long maxCount) implements LrRule.PerStep {
    public static final String NAME = "GradualWarmupIterLR";

    public GradualWarmupLr {
        RuleChecks.positive(NAME, "initial_lr", initialLr);
        RuleChecks.atLeast(NAME, "max_count", maxCount, 1);
    }


    @Override
    public double lr(double base, long step) {
        if (step >= maxCount) {
            return base;
        }
        double a = (double) step / maxCount;
        return initialLr * (1 - a) + base * a;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode argsJson() {
        return new ObjectMapper().createObjectNode().put("initial_lr", initialLr).put("max_count", maxCount);
    }
}
