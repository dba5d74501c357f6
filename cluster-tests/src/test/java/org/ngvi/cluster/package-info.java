/**
 * Tests on a real Spark standalone cluster on 127.0.0.1: {@link org.ngvi.cluster.StandaloneCluster} starts a
 * Master and Worker JVMs from the SPARK_HOME the {@code spark-home} module assembles from Maven and submits the
 * shaded application jar with {@code org.apache.spark.deploy.SparkSubmit}; every JVM it starts
 * ({@link org.ngvi.cluster.JvmProcess}), including the executors the Workers spawn, it stops by pid.
 * {@link org.ngvi.cluster.StandaloneClusterTest} checks that {@code train} and {@code evaluate} on the cluster
 * equal {@code local[2]}, and that a run whose executor is killed with SIGKILL mid-round finishes with the
 * fault-free run's final state, bit for bit.
 */
package org.ngvi.cluster;
