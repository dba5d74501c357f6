/**
 * Reading prepared Parquet image sets into Spark for training and evaluation: rows stay bytes
 * ({@link org.ngvi.spark.data.Example}) until a task turns a mini-batch into an ND4J array
 * ({@link org.ngvi.spark.data.BatchAssembler}, which augments training examples first, per example and
 * reproducibly, with {@link org.ngvi.data.augment}); Spark never holds ND4J's off-heap memory.
 */
package org.ngvi.spark.data;
