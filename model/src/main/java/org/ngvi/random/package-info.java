/**
 * The 64-bit mixing functions every seeded stream of the project is built from (weight noise,
 * dropout masks, augmentation, partition assignment): {@link org.ngvi.random.BitMix}.
 */
package org.ngvi.random;
