package org.ngvi.prep.cifar;

/**
 * Parameters of {@link PrepareCifarJob}.
 *
 * @param in         folder with the CIFAR-10 or CIFAR-100 binary files; any Hadoop path
 * @param out        output folder; the job writes {@code out/train} and {@code out/test}
 * @param labels     which CIFAR-100 label becomes the {@code label} column (CIFAR-10: {@link CifarLabel#FINE})
 * @param overwrite  replace an existing {@code out} (only once the new one is complete)
 * @param partitions Parquet files / Spark tasks per split; 0 chooses from the data size
 */
public record PrepareCifarParams(String in, String out, CifarLabel labels, boolean overwrite, int partitions) {

    /**
     * Parses {@code bin/ngvi prepare cifar} arguments ({@link PrepareCifarJob.Command}) and validates them.
     *
     * @throws picocli.CommandLine.ParameterException a usage error naming the option
     */
    public static PrepareCifarParams parse(String... args) {
        return org.ngvi.cli.Cli.parse(new PrepareCifarJob.Command(), args).params();
    }

    /**
     * Checks what can be checked without touching files.
     *
     * @return this
     * @throws IllegalArgumentException naming the offending option
     */
    public PrepareCifarParams validate() {
        if (in == null || in.isBlank() || out == null || out.isBlank()) {
            throw new IllegalArgumentException("--in and --out are required");
        }
        if (labels == null) {
            throw new IllegalArgumentException("--labels must be fine or coarse");
        }
        if (strip(in).equals(strip(out))) {
            throw new IllegalArgumentException("--out must differ from --in: " + out);
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be positive (or 0 for automatic), found " + partitions);
        }
        return this;
    }

    private static String strip(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
