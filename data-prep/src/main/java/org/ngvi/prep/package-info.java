/**
 * Spark jobs that turn raw image datasets into the Parquet layout of
 * {@link org.ngvi.data.ImageSchema} plus a {@link org.ngvi.data.DatasetManifest}
 * ({@code _manifest.json}), published atomically: a job writes into a sibling temp
 * directory and renames it to the output only when everything, manifest included, is complete
 * ({@link org.ngvi.prep.DatasetOutput}). {@link org.ngvi.prep.PrepareIdxJob} handles MNIST-format
 * IDX files (MNIST, Fashion-MNIST); {@link org.ngvi.prep.cifar.PrepareCifarJob} the CIFAR-10/100 binary
 * format.
 */
package org.ngvi.prep;
