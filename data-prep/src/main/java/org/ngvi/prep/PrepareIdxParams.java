package org.ngvi.prep;

/**
 * Parameters of {@link PrepareIdxJob}.
 *
 * @param images     IDX image file ({@code 0x00000803}), raw or gzipped; any Hadoop path
 * @param labels     IDX label file ({@code 0x00000801}), raw or gzipped
 * @param out        output directory (Parquet files plus {@code _manifest.json})
 * @param overwrite  replace an existing {@code out} (only once the new one is complete)
 * @param partitions number of Parquet files / Spark tasks; 0 chooses from the data size
 */
public record PrepareIdxParams(String images, String labels, String out, boolean overwrite, int partitions) {

    /**
     * Parses {@code bin/ngvi prepare idx} arguments ({@link PrepareIdxJob.Command}) and validates them.
     *
     * @throws picocli.CommandLine.ParameterException a usage error naming the option
     */
    public static PrepareIdxParams parse(String... args) {
        return org.ngvi.cli.Cli.parse(new PrepareIdxJob.Command(), args).params();
    }

    /**
     * Checks what can be checked without touching files.
     *
     * @return this
     * @throws IllegalArgumentException naming the offending option
     */
    public PrepareIdxParams validate() {
        if (images == null || images.isBlank() || labels == null || labels.isBlank() || out == null || out.isBlank()) {
            throw new IllegalArgumentException("--images, --labels and --out are required");
        }
        if (images.equals(labels)) {
            throw new IllegalArgumentException("--images and --labels are the same file: " + images);
        }
        if (out.equals(images) || out.equals(labels)) {
            throw new IllegalArgumentException("--out must differ from the input files: " + out);
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be positive (or 0 for automatic), found " + partitions);
        }
        return this;
    }
}
