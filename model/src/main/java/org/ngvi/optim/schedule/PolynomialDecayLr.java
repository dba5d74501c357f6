package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ngvi.args.ArgumentException;

/**
 * torchsso's {@code PolynomialDecayIterLR}: with d_i = max(1 − (i − i₀)/(C − i₀), 0),
 * α_i = α₀ d_iᵖ from step i₀ on (α₀ before it), bounded by {@code target} when given: the rate
 * never falls below it for p &gt; 0 and never rises above it for p ≤ 0.
 *
 * @param rate      p, the exponent
 * @param maxCount  C ≥ 1, the step at which d reaches 0
 * @param target    the bound, or {@code null} for none
 * @param startIter i₀ ∈ [0, C), the first decaying step
 */
public record PolynomialDecayLr(double rate, long maxCount, Double target, long startIter) implements LrRule.PerStep {
    public static final String NAME = "PolynomialDecayIterLR";

    public PolynomialDecayLr {
        if (!Double.isFinite(rate)) {
            throw new ArgumentException(NAME, "rate", "expected a finite number, got " + rate);
        }
        RuleChecks.atLeast(NAME, "max_count", maxCount, 1);
        if (rate < 0 && target == null) {
            throw new ArgumentException(NAME, "target", "a growing schedule (rate < 0) needs a target to stop at, got none");
        }
        if (target != null) {
            RuleChecks.positive(NAME, "target", target);
        }
        if (startIter < 0 || startIter >= maxCount) {
            throw new ArgumentException(NAME, "start_iter", "expected an integer in [0, max_count), got " + startIter);
        }
    }


    @Override
    public double lr(double base, long step) {
        if (step < startIter) {
            return base;
        }
        double decay = Math.max(1 - (double) (step - startIter) / (maxCount - startIter), 0);
        double lr = base * Math.pow(decay, rate);
        if (target == null) {
            return lr;
        }
        return rate > 0 ? Math.max(lr, target) : Math.min(lr, target);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode argsJson() {
        ObjectNode n = new ObjectMapper().createObjectNode().put("rate", rate).put("max_count", maxCount);
        if (target != null) {
            n.put("target", target);
        }
        return n.put("start_iter", startIter);
    }
}
