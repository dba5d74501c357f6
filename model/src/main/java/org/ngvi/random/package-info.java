/**
 * Reproducible randomness: {@link org.ngvi.random.Seeds}, the one place every seeded stream of
 * the project is derived (data order, row partitioning, weight noise, dropout masks,
 * augmentation, MC prediction passes), built from the 64-bit mixing functions of
 * {@link org.ngvi.random.BitMix}.
 */
package org.ngvi.random;
