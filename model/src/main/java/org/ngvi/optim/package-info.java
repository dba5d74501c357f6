/**
 * Optimizers in the optax style behind one abstraction, {@link org.ngvi.optim.Optimizer}
 * ({@code init(params) -> state}, {@code step(objective, state, noise)}, the pure {@code update}
 * that consumes a state, plus what sync-mode training, the wire, checkpoints and prediction
 * need): {@link org.ngvi.optim.Vogn} (variational online Gauss-Newton, torchsso's update, see its
 * Javadoc and {@code fixtures/README.md}), {@link org.ngvi.optim.Adam} and {@link
 * org.ngvi.optim.Sgd} (PyTorch semantics), {@link org.ngvi.optim.Ewc} (Adam with the elastic weight
 * consolidation penalty of past tasks), each with an immutable params record ({@link
 * org.ngvi.optim.OptimizerParams}) and state record ({@link org.ngvi.optim.OptimizerState});
 * {@link org.ngvi.optim.OptimizerRegistry}, the one place names map to params factories (config
 * keys and checkpoint JSON); {@link org.ngvi.optim.Posteriors}, checkpoint → predictive
 * posterior; {@link org.ngvi.optim.GaussianNoise}, the reproducible, prefetched ε for VOGN's
 * weight samples.
 *
 * <p>Updates are single fused Java passes over the flat vectors of {@link
 * org.ngvi.tensor.FlatTensor}s (FLOAT and DOUBLE, through {@code NioBuffers}) and allocate
 * nothing in ND4J once the scratch tensors for a layout exist (PERFORMANCE.md items 1, 2 and 4).
 */
package org.ngvi.optim;
