/**
 * Evaluation metrics of predictive distributions as mergeable, serializable accumulators
 * (Spark aggregates them): accuracy, negative log-likelihood, expected calibration error with
 * a reliability diagram's per-bin statistics (Guo et al., ICML 2017), Brier score and
 * predictive entropy — the metrics of Osawa et al. (NeurIPS 2019), Table 1 — and the entropy's
 * decomposition into expected entropy and mutual information; out-of-distribution detection
 * metrics (exact AUROC, FPR at 95% TPR) of per-example scores.
 */
package org.ngvi.metrics;
