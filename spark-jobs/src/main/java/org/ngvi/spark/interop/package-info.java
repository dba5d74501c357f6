/**
 * Interoperability entry points: {@code ngvi export-dl4j} writes the posterior mean of a training
 * run as a DL4J {@code MultiLayerNetwork} zip ({@link org.ngvi.spark.interop.ExportDl4jJob}, built on
 * {@link org.ngvi.dl4j.Dl4jExport}).
 */
package org.ngvi.spark.interop;
