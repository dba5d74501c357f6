/**
 * Flat parameter storage on ND4J: every parameter tensor of a network is a view into one
 * contiguous vector, so optimizer state (mean μ, curvature s, momentum v, ...) is a handful
 * of flat buffers with the same {@link org.ngvi.tensor.ParamLayout}, updated by fused
 * elementwise passes and aggregated across Spark tasks as plain vectors.
 */
package org.ngvi.tensor;
