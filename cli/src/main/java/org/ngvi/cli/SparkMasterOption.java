package org.ngvi.cli;

import picocli.CommandLine.Option;

/** {@code --master URL}, the Spark master of a job ({@link SparkSessions#create}). */
public final class SparkMasterOption {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*])")
    private String master;

    /** The master, or {@code null} for spark-submit's (else {@code local[*]}). */
    public String master() {
        return master;
    }
}
