/**
 * The IDX file format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header
 * {@code 0x00 0x00 type rank} followed by {@code rank} 32-bit dimensions, then the data in
 * row-major order. Images are {@code 0x00000803} (uint8, {@code [n, rows, cols]}), labels
 * {@code 0x00000801} (uint8, {@code [n]}). Files may be gzipped; {@link org.ngvi.prep.idx.IdxReader}
 * detects that by the {@code 1f 8b} magic bytes, not by the name.
 */
package org.ngvi.prep.idx;
