/**
 * The binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky, "Learning Multiple Layers of
 * Features from Tiny Images", 2009) and the Spark job {@link org.ngvi.prep.cifar.PrepareCifarJob}
 * that turns them into the Parquet layout of {@link org.ngvi.data.ImageSchema}.
 *
 * <p>A binary file is a bare sequence of fixed-size records, no header: CIFAR-10 records are
 * {@code label(1) pixels(3072)} = 3073 bytes, CIFAR-100 records {@code coarse(1) fine(1)
 * pixels(3072)} = 3074 bytes. The 3072 pixel bytes of a 32×32 RGB image are in CHW order (the
 * 1024 red values row-major, then green, then blue); the prepared rows are HWC, as for every
 * other dataset ({@link org.ngvi.prep.cifar.CifarRecords#chwToHwc}). Record {@code k} of a
 * file starts at byte {@code k·recordBytes}, so a task reads any range of records by seeking.
 */
package org.ngvi.prep.cifar;
