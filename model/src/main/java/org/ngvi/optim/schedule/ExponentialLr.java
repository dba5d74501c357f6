package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code torch.optim.lr_scheduler.ExponentialLR}: α_e = α₀ γᵉ in epoch e (0-based).
 *
 * @param gamma γ &gt; 0, the factor per epoch
 */
public record ExponentialLr(double gamma) implements LrRule.PerEpoch {
    public static final String NAME = "ExponentialLR";

    public ExponentialLr {
        RuleChecks.positive(NAME, "gamma", gamma);
    }


    @Override
    public double lr(double base, long epoch) {
        return base * Math.pow(gamma, epoch);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode argsJson() {
        return new ObjectMapper().createObjectNode().put("gamma", gamma);
    }
}
