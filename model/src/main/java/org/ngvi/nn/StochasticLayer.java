package org.ngvi.nn;

/**
 * A layer whose forward pass draws random numbers ({@link Dropout}). Its random stream lives in
 * its scratch object (one per network and batch size), never in the layer, so the layer stays pure
 * configuration; {@link Network#reseedNoise(long, boolean)} restarts the streams of all stochastic
 * layers of a network, which makes training and MC prediction reproducible.
 */
public interface StochasticLayer extends Layer {
    /**
     * Restarts the random stream held in {@code scratch} (an object from {@link #scratch}) at
     * {@code seed}.
     *
     * @param sampleInEval also draw in eval-mode forward passes (MC dropout), with one sample per
     *                     pass shared by every example of the batch; otherwise eval mode is
     *                     deterministic
     */
    void reseed(Object scratch, long seed, boolean sampleInEval);

    /** Whether the layer actually draws anything (dropout with p &gt; 0). */
    boolean isRandom();
}
