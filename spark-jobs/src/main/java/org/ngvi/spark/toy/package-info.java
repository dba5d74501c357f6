/**
 * The paper's 2D toy (Osawa et al. 2019, Fig. 1; the reference's {@code toy_example}): Adam and
 * VOGN train the same MLP 2-128-1 from the same initial weights on five Gaussian blobs in two
 * classes; every 50 steps a frame shows both decision boundaries (VOGN: mean and sampled) and
 * both predictive-entropy maps. {@link org.ngvi.spark.toy.ToyJob} is the entry point.
 */
package org.ngvi.spark.toy;
