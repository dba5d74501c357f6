/**
 * The distributed trainer's Spark glue (DESIGN.md, "The distributed trainer"): {@link
 * org.ngvi.spark.train.TrainJob} (the {@code ngvi train} entry point), {@link
 * org.ngvi.spark.train.ParameterAveragingTrainer} (the round loop on the driver), {@link
 * org.ngvi.spark.train.RoundTask} (one task's share of a round on a pooled {@link
 * org.ngvi.spark.train.Worker}), {@link org.ngvi.spark.train.TaskResult} and {@link
 * org.ngvi.spark.train.RoundAggregate} (one record and one accumulator per aggregation mode:
 * natural-parameter averaging after K local steps, or synchronous ĝ/ĥ), {@link
 * org.ngvi.spark.train.BatchPlan} (which examples every task uses at every step), {@link
 * org.ngvi.spark.train.RunSetup} (what every task needs for the whole run), {@link
 * org.ngvi.spark.train.RunDirectory} (checkpoint, metrics, provenance, summary), {@link
 * org.ngvi.spark.train.ResumePoint} and {@link org.ngvi.spark.train.Resumption} (what a checkpoint
 * carries to continue bit-identically, and the checks of {@code --resume}), {@link
 * org.ngvi.spark.train.NonFinitePolicy} (NaN and infinities never reach the posterior or a
 * checkpoint), {@link org.ngvi.spark.train.SingleProcessTrainer} (the same rounds without Spark,
 * the reference the distributed runs are tested against) and {@link org.ngvi.spark.train.GpuBinding}
 * (a task's thread on the GPU Spark assigned it, under the CUDA backend).
 *
 * <p>Everything numeric is in {@code model}: the optimizers behind {@link
 * org.ngvi.optim.Optimizer} (steps, sync-mode gradients and updates, snapshots for the wire,
 * precision weights, checkpoints, posteriors), created from the params records of {@link
 * org.ngvi.optim.OptimizerRegistry}. This package only moves their snapshots and results
 * between the driver and the tasks and combines them.
 */
package org.ngvi.spark.train;
