/**
 * Optimizers in the optax style ({@code init(params) -> state}, a pure {@code update} on given
 * gradients that consumes the state, and {@code step(objective, state, noise)}): {@link
 * org.ngvi.optim.Vogn} (variational online Gauss-Newton, torchsso's update, see its Javadoc and
 * {@code fixtures/README.md}), {@link org.ngvi.optim.Adam} and {@link org.ngvi.optim.Sgd}
 * (PyTorch semantics), with immutable params records and state records; {@link
 * org.ngvi.optim.GaussianNoise}, the reproducible, prefetched ε for VOGN's weight samples.
 *
 * <p>Updates are single fused Java passes over the flat buffers of {@link
 * org.ngvi.tensor.FlatTensor}s (FLOAT and DOUBLE) and allocate nothing in ND4J once the scratch
 * tensors for a layout exist (PERFORMANCE.md items 1, 2 and 4). States convert to and from
 * {@link org.ngvi.posterior.ModelCheckpoint} ({@code toCheckpoint}, {@code fromCheckpoint},
 * {@code restore}) and give a {@link org.ngvi.posterior.GaussianPosterior} ({@code posterior}).
 */
package org.ngvi.optim;
