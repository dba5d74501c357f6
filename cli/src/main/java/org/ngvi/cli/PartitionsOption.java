package org.ngvi.cli;

import picocli.CommandLine.Option;

/** {@code --partitions N} of the prepare jobs: Parquet files (Spark tasks) per split, else chosen from the data size. */
public final class PartitionsOption {
    @Option(names = "--partitions", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Parquet files (Spark tasks) per split (default: from the data size, 8-128 MiB each)")
    private Integer partitions;

    /** N, or 0 when not given (the job chooses). */
    public int orAuto() {
        return partitions == null ? 0 : partitions;
    }
}
