package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.ngvi.args.ArgumentException;

/**
 * {@code torch.optim.lr_scheduler.MultiStepLR}: α_e = α₀ γ^|{m ∈ milestones : m ≤ e}| in epoch e
 * (0-based), the closed form torch uses ({@code bisect_right(milestones, e)}).
 *
 * @param milestones strictly increasing epochs ≥ 0 at which the rate is multiplied by γ
 * @param gamma      γ &gt; 0
 */
public record MultiStepLr(long[] milestones, double gamma) implements LrRule.PerEpoch {
    public static final String NAME = "MultiStepLR";

    public MultiStepLr {
        milestones = milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 0 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new ArgumentException(NAME, "milestones", "expected increasing epoch numbers >= 0, got "
                        + Arrays.toString(milestones));
            }
        }
        RuleChecks.positive(NAME, "gamma", gamma);
    }

    @Override
    public long[] milestones() {
        return milestones.clone();
    }


    @Override
    public double lr(double base, long epoch) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) {
            passed++;
        }
        return base * Math.pow(gamma, passed);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode argsJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        Arrays.stream(milestones).forEach(n.putArray("milestones")::add);
        return n.put("gamma", gamma);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiStepLr m && Arrays.equals(milestones, m.milestones) && Double.compare(gamma, m.gamma) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(milestones) + Double.hashCode(gamma);
    }

    @Override
    public String toString() {
        return "MultiStepLr[milestones=" + Arrays.toString(milestones) + ", gamma=" + gamma + "]";
    }
}
