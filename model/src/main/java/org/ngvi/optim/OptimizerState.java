package org.ngvi.optim;

import java.util.Map;
import org.ngvi.tensor.FlatTensor;

/**
 * Immutable-by-contract state of an optimizer: its parameters (VOGN: the posterior mean μ)
 * and named buffers of the same layout. An {@code update} consumes the state it is given
 * (its buffers are donated and may be reused for the result, as JAX's {@code donate_argnums});
 * callers that still need the old state keep a {@link #copy()}.
 */
public interface OptimizerState {
    /** The parameters a prediction uses (VOGN: μ). */
    FlatTensor params();

    /** Number of optimizer steps taken. */
    long step();

    /** Every buffer by name, including {@code "params"}; what checkpoints and aggregation see. */
    Map<String, FlatTensor> buffers();

    /** A deep copy. */
    OptimizerState copy();
}
