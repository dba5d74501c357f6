/**
 * Batch scoring ({@code ngvi score}): a trained run's MC predictive applied to every row of an
 * image Parquet data set on the executors, writing the input's columns plus the prediction, the
 * class probabilities and the per-row uncertainties (confidence, predictive entropy, mutual
 * information) as Parquet, published atomically.
 */
package org.ngvi.spark.score;
