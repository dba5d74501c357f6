package org.ngvi.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ngvi.tensor.FlatTensor;

/**
 * State of {@link Adam}: parameters θ, first moment m, second moment v and the number of steps
 * taken t. Consumed by {@link Adam#update}: its tensors are donated to the result.
 */
public record AdamState(FlatTensor params, FlatTensor m, FlatTensor v, long step) implements OptimizerState {
    public AdamState {
        NioBuffers.requireSame(params.layout(), params.dataType(), "AdamState", params, m, v);
        if (step < 0) {
            throw new IllegalArgumentException("AdamState.step must be >= 0 (got " + step + ")");
        }
    }

    /** {@code params}, {@code m}, {@code v}. */
    @Override
    public Map<String, FlatTensor> tensors() {
        Map<String, FlatTensor> b = new LinkedHashMap<>();
        b.put("params", params);
        b.put("m", m);
        b.put("v", v);
        return b;
    }

    @Override
    public AdamState copy() {
        return new AdamState(params.copy(), m.copy(), v.copy(), step);
    }
}
