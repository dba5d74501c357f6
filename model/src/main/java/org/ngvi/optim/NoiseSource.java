package org.ngvi.optim;

import org.ngvi.tensor.FlatTensor;

/**
 * Standard-normal noise ε for VOGN's weight samples. Implementations must be reproducible:
 * the values for (step, sample) depend only on the source's seed and those two numbers, so a
 * retried Spark task redraws the same ε. Tests inject recorded ε through this interface.
 */
public interface NoiseSource extends AutoCloseable {
    /** Fills {@code eps} with ε for MC sample {@code sample} of optimizer step {@code step}. */
    void fill(long step, int sample, FlatTensor eps);

    @Override
    default void close() {
    }
}
