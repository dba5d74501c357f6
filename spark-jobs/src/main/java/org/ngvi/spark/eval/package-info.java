/**
 * Distributed evaluation of a trained posterior: MC prediction on executors (the average of the
 * softmax over K weight samples, K = 0 for the mean weights) and mergeable metrics (accuracy,
 * NLL, ECE, Brier score, predictive entropy) aggregated on the driver.
 */
package org.ngvi.spark.eval;
