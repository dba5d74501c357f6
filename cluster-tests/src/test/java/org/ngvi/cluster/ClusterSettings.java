package org.ngvi.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where the cluster tests find what Maven built for them, from system properties the module's surefire
 * configuration sets (a clear error naming the property and what was expected when one is missing):
 *
 * @param sparkHome the Spark distribution folder ({@code ngvi.cluster.sparkHome}): {@code jars/} and {@code RELEASE}
 * @param appJar    the shaded application jar ({@code ngvi.cluster.appJar})
 * @param work      scratch and log folder of the cluster's JVMs ({@code ngvi.cluster.work})
 * @param javaOpens Spark's Java 17 {@code --add-opens} flags ({@code ngvi.cluster.javaOpens}, the root pom's
 *                  {@code java17.opens})
 */
record ClusterSettings(Path sparkHome, Path appJar, Path work, List<String> javaOpens) {
    ClusterSettings {
        javaOpens = List.copyOf(javaOpens);
    }

    /** The settings from the system properties, checked. */
    static ClusterSettings fromSystemProperties() {
        Path home = Path.of(required("ngvi.cluster.sparkHome", "the SPARK_HOME folder built by the spark-home module"));
        if (!Files.isDirectory(home.resolve("jars")) || !Files.isRegularFile(home.resolve("RELEASE"))) {
            throw new IllegalStateException("ngvi.cluster.sparkHome = " + home + ": expected a folder with jars/ and RELEASE "
                    + "(built by 'mvn test' of the spark-home module; run the reactor with -am)");
        }
        Path jar = Path.of(required("ngvi.cluster.appJar", "the shaded application jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("ngvi.cluster.appJar = " + jar + ": no such file (cluster-tests shades it in "
                    + "process-test-classes; was the build run with -DskipTests?)");
        }
        Path work = Path.of(required("ngvi.cluster.work", "a scratch folder for the cluster's JVMs"));
        List<String> opens = Arrays.stream(required("ngvi.cluster.javaOpens", "Spark's Java 17 --add-opens flags").trim()
                .split("\\s+")).toList();
        return new ClusterSettings(home, jar, work, opens);
    }

    /** The class path of Spark's own JVMs: every jar in {@code SPARK_HOME/jars}. */
    String sparkClassPath() {
        return sparkHome.resolve("jars") + "/*";
    }

    /** The {@code java} executable of this JVM, so that every JVM of the cluster runs the same Java. */
    static String javaHome() {
        return System.getProperty("java.home");
    }

    private static String required(String property, String what) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (expected " + what
                    + "; cluster-tests' pom sets it for surefire)");
        }
        return v;
    }
}
