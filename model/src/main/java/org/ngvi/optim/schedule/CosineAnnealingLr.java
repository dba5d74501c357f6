package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR} in its closed form:
 * α_e = η_min + (α₀ − η_min)(1 + cos(π e / T_max)) / 2 in epoch e (0-based); past T_max the
 * cosine continues (the rate rises again), as torch's closed form does.
 *
 * @param tMax   T_max ≥ 1, epochs of the half period
 * @param etaMin η_min ≥ 0, the lowest rate
 */
public record CosineAnnealingLr(long tMax, double etaMin) implements LrRule.PerEpoch {
    public static final String NAME = "CosineAnnealingLR";

    public CosineAnnealingLr {
        RuleChecks.atLeast(NAME, "T_max", tMax, 1);
        RuleChecks.nonNegative(NAME, "eta_min", etaMin);
    }


    @Override
    public double lr(double base, long epoch) {
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode argsJson() {
        return new ObjectMapper().createObjectNode().put("T_max", tMax).put("eta_min", etaMin);
    }
}
