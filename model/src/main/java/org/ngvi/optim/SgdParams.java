package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hyper-parameters of {@link Sgd} (PyTorch's {@code torch.optim.SGD} without dampening or Nesterov).
 *
 * @param lr          learning rate α &gt; 0
 * @param momentum    momentum β in [0, 1); 0 disables the buffer
 * @param weightDecay L2 coefficient w ≥ 0 added to the gradient (g + w θ)
 */
public record SgdParams(double lr, double momentum, double weightDecay) implements java.io.Serializable {
    public SgdParams {
        OptimParamChecks.positive("SgdParams.lr", lr);
        OptimParamChecks.inRange("SgdParams.momentum", momentum, 0, true, 1, false);
        OptimParamChecks.nonNegative("SgdParams.weightDecay", weightDecay);
    }

    /** Plain SGD without momentum or weight decay. */
    public static SgdParams of(double lr) {
        return new SgdParams(lr, 0, 0);
    }

    /** {@code {"lr": .., "momentum": .., "weight_decay": ..}}. */
    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("lr", lr);
        n.put("momentum", momentum);
        n.put("weight_decay", weightDecay);
        return n;
    }

    /** Inverse of {@link #toJson()}; missing or non-numeric fields are a clear error. */
    public static SgdParams fromJson(JsonNode n) {
        return new SgdParams(OptimParamChecks.number(n, "lr", "sgd params"),
                OptimParamChecks.number(n, "momentum", "sgd params"),
                OptimParamChecks.number(n, "weight_decay", "sgd params"));
    }
}
