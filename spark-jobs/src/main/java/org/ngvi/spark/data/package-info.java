/**
 * Reading prepared Parquet image sets into Spark for training and evaluation: rows stay bytes
 * ({@link org.ngvi.spark.data.Example}) until a task turns a mini-batch into an ND4J array
 * ({@link org.ngvi.spark.data.BatchAssembler}, which augments training examples first, per example and
 * reproducibly, with {@link org.ngvi.data.augment}); Spark never holds ND4J's off-heap memory.
 * Every row is checked against the manifest when a set is opened ({@link org.ngvi.spark.data.RowCheck}):
 * a bad row is a {@link org.ngvi.spark.data.DataError} naming its Parquet file and row, and fails the
 * job once ({@link org.ngvi.spark.data.BadDataException}).
 */
package org.ngvi.spark.data;
