package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code torch.optim.lr_scheduler.StepLR}: α_e = α₀ γ^⌊e / step_size⌋ in epoch e (0-based).
 *
 * @param stepSize epochs between two decays, ≥ 1
 * @param gamma    γ &gt; 0, the factor per decay
 */
public record StepLr(long stepSize, double gamma) implements LrRule.PerEpoch {
    public static final String NAME = "StepLR";

    public StepLr {
        RuleChecks.atLeast(NAME, "step_size", stepSize, 1);
        RuleChecks.positive(NAME, "gamma", gamma);
    }


    @Override
    public double lr(double base, long epoch) {
        return base * Math.pow(gamma, epoch / stepSize);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode argsJson() {
        return new ObjectMapper().createObjectNode().put("step_size", stepSize).put("gamma", gamma);
    }
}
