/**
 * Continual learning on permuted tasks ({@code ngvi continual}): {@link
 * org.ngvi.spark.continual.TaskPermutation} (the fixed pixel permutation of each task, applied on
 * the executors), {@link org.ngvi.spark.continual.ContinualRun} (VOGN with the posterior of one
 * task as the prior of the next, VOGN with VCL coresets, EWC, Adam fine-tuning, trained by the
 * parameter-averaging trainer and tested on every task seen), {@link
 * org.ngvi.spark.continual.FisherPass} (EWC's diagonal Fisher on Spark), the config, results and
 * plots, and the spark-submit entry {@link org.ngvi.spark.continual.ContinualJob}.
 */
package org.ngvi.spark.continual;
