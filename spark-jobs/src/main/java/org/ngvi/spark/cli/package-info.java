/** The {@code ngvi} command line: one entry point dispatching to the spark-submit main classes. */
package org.ngvi.spark.cli;
