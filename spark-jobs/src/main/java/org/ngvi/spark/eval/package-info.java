/**
 * Distributed evaluation of a trained run: MC prediction on executors with a {@link
 * org.ngvi.spark.eval.Predictive} (the average of the softmax over K weight samples of a Gaussian
 * posterior, over K dropout masks for MC dropout, or K = 0 for the mean weights) and mergeable
 * metrics (accuracy, NLL, ECE, Brier score, predictive entropy and its mutual-information part, an
 * entropy histogram) aggregated on the driver; optionally out-of-distribution detection against a
 * second data set (AUROC and FPR at 95% TPR of the per-example entropy and mutual information) and
 * plots: a {@link org.ngvi.spark.eval.ReliabilityDiagram} and an
 * {@link org.ngvi.spark.eval.EntropyHistogramPlot}. {@link org.ngvi.spark.eval.TrainedRun} opens a
 * run folder (checkpoint, training config, posterior) for {@code evaluate} and {@code score}.
 */
package org.ngvi.spark.eval;
