package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hyper-parameters of {@link Adam} (PyTorch's {@code torch.optim.Adam}, L2 weight decay added to
 * the gradient, not AdamW).
 *
 * @param lr          learning rate α &gt; 0
 * @param beta1       decay of the first-moment EMA, in [0, 1)
 * @param beta2       decay of the second-moment EMA, in [0, 1)
 * @param eps         ε &gt; 0 added to √v̂
 * @param weightDecay L2 coefficient w ≥ 0
 */
public record AdamParams(double lr, double beta1, double beta2, double eps, double weightDecay) implements java.io.Serializable {
    public AdamParams {
        OptimParamChecks.positive("AdamParams.lr", lr);
        OptimParamChecks.inRange("AdamParams.beta1", beta1, 0, true, 1, false);
        OptimParamChecks.inRange("AdamParams.beta2", beta2, 0, true, 1, false);
        OptimParamChecks.positive("AdamParams.eps", eps);
        OptimParamChecks.nonNegative("AdamParams.weightDecay", weightDecay);
    }

    /** PyTorch's defaults (β = (0.9, 0.999), ε = 1e-8, no weight decay) with learning rate {@code lr}. */
    public static AdamParams of(double lr) {
        return new AdamParams(lr, 0.9, 0.999, 1e-8, 0);
    }

    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("lr", lr);
        n.put("beta1", beta1);
        n.put("beta2", beta2);
        n.put("eps", eps);
        n.put("weight_decay", weightDecay);
        return n;
    }

    public static AdamParams fromJson(JsonNode n) {
        String what = "adam params";
        return new AdamParams(OptimParamChecks.number(n, "lr", what), OptimParamChecks.number(n, "beta1", what),
                OptimParamChecks.number(n, "beta2", what), OptimParamChecks.number(n, "eps", what),
                OptimParamChecks.number(n, "weight_decay", what));
    }
}
