/**
 * Distributed evaluation of a trained posterior: MC prediction on executors (the average of the
 * softmax over K weight samples, K = 0 for the mean weights) and mergeable metrics (accuracy,
 * NLL, ECE, Brier score, predictive entropy and its mutual-information part) aggregated on the
 * driver; optionally out-of-distribution detection against a second data set (AUROC and FPR at
 * 95% TPR of the per-example entropy and mutual information).
 */
package org.ngvi.spark.eval;
