package org.ngvi.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ngvi.tensor.FlatTensor;

/**
 * State of {@link Sgd}: parameters θ, momentum buffer v (zeros when momentum is 0) and the step
 * count. Consumed by {@link Sgd#update}: its tensors are donated to the result.
 */
public record SgdState(FlatTensor params, FlatTensor momentum, long step) implements OptimizerState {
    public SgdState {
        NioBuffers.requireSame(params.layout(), params.dataType(), "SgdState", params, momentum);
        if (step < 0) {
            throw new IllegalArgumentException("SgdState.step must be >= 0 (got " + step + ")");
        }
    }

    /** {@code params}, {@code momentum}. */
    @Override
    public Map<String, FlatTensor> tensors() {
        Map<String, FlatTensor> m = new LinkedHashMap<>();
        m.put("params", params);
        m.put("momentum", momentum);
        return m;
    }

    @Override
    public SgdState copy() {
        return new SgdState(params.copy(), momentum.copy(), step);
    }
}
