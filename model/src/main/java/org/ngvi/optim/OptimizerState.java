package org.ngvi.optim;

import java.util.Map;
import org.ngvi.tensor.FlatTensor;

/**
 * The state of an {@link Optimizer}: its parameters (VOGN: the posterior mean μ), named tensors of
 * the same layout and named per-parameter-tensor scalars. States are records whose fields are
 * never reassigned; the tensors' memory, though, is reused: an optimizer's {@code update} or
 * {@code step} consumes the state it is given (its tensors are donated and updated in place for
 * the result, as JAX's {@code donate_argnums}), so callers that still need the old values keep a
 * {@link #copy()}. Scalar arrays are never written after construction.
 */
public interface OptimizerState {
    /** The parameters a prediction uses (VOGN: μ). */
    FlatTensor params();

    /** Number of optimizer steps taken. */
    long step();

    /**
     * Every tensor of the state by name, starting with {@code "params"}: what checkpoints store
     * and snapshots carry. Derived tensors (VOGN's σ) are not included.
     */
    Map<String, FlatTensor> tensors();

    /** Named per-parameter-tensor scalars (VOGN: {@code prior_ema}, λ̄); empty by default. */
    default Map<String, double[]> scalars() {
        return Map.of();
    }

    /** A deep copy. */
    OptimizerState copy();
}
