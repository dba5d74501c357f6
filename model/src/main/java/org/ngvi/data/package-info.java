/**
 * The dataset contract shared by {@code data-prep} (which writes it) and the trainer (which
 * reads it), free of Spark: the Parquet row layout ({@link org.ngvi.data.ImageSchema}), the
 * {@code _manifest.json} written beside the Parquet files (underscore: Spark's reader skips it) ({@link org.ngvi.data.DatasetManifest},
 * whose {@link org.ngvi.data.DatasetManifest#digest() digest} goes into model provenance), and the
 * conversion of one row's uint8 pixels into network input ({@link org.ngvi.data.PixelNormalization}).
 */
package org.ngvi.data;
