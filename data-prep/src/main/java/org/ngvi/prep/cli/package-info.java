/**
 * Command-line plumbing every ngvi job shares: option parsing with usage errors
 * ({@link org.ngvi.prep.cli.Flags}) and the job's SparkSession ({@link org.ngvi.prep.cli.SparkSessions}).
 * It lives in data-prep, the lowest module with Spark, so the prepare jobs and the spark-jobs use one parser.
 */
package org.ngvi.prep.cli;
